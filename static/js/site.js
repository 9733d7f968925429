/* Behaviour every page shares, kept out of the templates (no inline script: the pages are
   served with a Content-Security-Policy that allows scripts from the site only). */
(function () {
  "use strict";
  // The language menu changes the language as soon as one is chosen (the form still has a
  // button for browsers without JavaScript).
  document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // A button with data-confirm asks before its form is sent (was an inline onclick).
  document.querySelectorAll("[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
  // A link with data-history-back goes back when there is a page to go back to (its href is
  // where it leads otherwise).
  document.querySelectorAll("a[data-history-back]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (window.history.length > 1) { event.preventDefault(); window.history.back(); }
    });
  });
})();
