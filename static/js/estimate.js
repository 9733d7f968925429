/* While an estimate is computed by a worker: follow its progress, then show the result. */
(function () {
  "use strict";
  var page = document.getElementById("estimate");
  var bar = document.querySelector("#estimate-progress progress");
  function poll() {
    fetch(page.dataset.status, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (body) {
        if (bar) { bar.value = body.progress || 0; }
        if (body.state === "queued" || body.state === "running") {
          window.setTimeout(poll, 1000);
        } else {
          window.location.reload();
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
