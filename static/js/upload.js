/* Upload page: send the file, follow the import job, then show the result or every problem.
   Strings come from Django's JavaScript catalogue (gettext / interpolate). */
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  var input = document.getElementById("file");
  var zone = document.getElementById("drop-zone");
  var statusBox = document.getElementById("upload-status");
  var bar = document.getElementById("upload-progress");
  var message = document.getElementById("upload-message");
  var result = document.getElementById("upload-result");
  var POLL_MS = 500;

  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      zone.classList.add("over");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function () { zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    if (event.dataTransfer.files.length) { input.files = event.dataTransfer.files; }
  });

  function text(tag, content, attrs) {
    var el = document.createElement(tag);
    if (content !== undefined && content !== null) { el.textContent = String(content); }
    Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    return el;
  }

  function errorTable(rows) {
    var table = text("table", null, { "class": "data errors", id: "error-table" });
    var head = table.createTHead().insertRow();
    [gettext("File"), gettext("Row"), gettext("Field"), gettext("Value"), gettext("Message")]
      .forEach(function (h) { head.appendChild(text("th", h)); });
    var body = table.createTBody();
    rows.forEach(function (row) {
      var tr = body.insertRow();
      [row.file, row.row === null ? "—" : row.row, row.field, row.value, row.message]
        .forEach(function (v) { tr.appendChild(text("td", v)); });
    });
    return table;
  }

  function show(status) {
    result.replaceChildren();
    if (status.state === "imported") {
      var done = text("p", interpolate(
        gettext("%(rows)s rows imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged."),
        { rows: status.row_count, created: status.created, updated: status.updated,
          unchanged: status.unchanged }, true), { "class": "success", id: "import-summary" });
      result.appendChild(done);
      var link = text("a", gettext("See what changed"), { href: status.page_url });
      result.appendChild(link);
      if (status.warnings.length) {
        result.appendChild(text("h3", gettext("Warnings")));
        result.appendChild(errorTable(status.warnings));
      }
    } else if (status.state === "rejected") {
      result.appendChild(text("p", interpolate(
        ngettext("%(n)s problem: nothing was written.", "%(n)s problems: nothing was written.",
          status.error_count), { n: status.error_count }, true),
        { "class": "error", id: "import-refused", role: "alert" }));
      result.appendChild(text("a", gettext("Download the problems as CSV"), { href: status.errors_csv }));
      result.appendChild(errorTable(status.errors));
    }
  }

  function refreshHistory() {
    fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html")
          .querySelector("#batch-history tbody");
        var current = document.querySelector("#batch-history tbody");
        if (fresh && current) { current.replaceWith(fresh); }
      });
  }

  function poll(url) {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        bar.value = status.progress;
        message.textContent = status.message || status.state_label;
        if (status.state === "imported" || status.state === "rejected") {
          bar.value = 1;
          message.textContent = status.state_label;
          show(status);
          refreshHistory();
        } else {
          window.setTimeout(function () { poll(url); }, POLL_MS);
        }
      })
      .catch(function () { window.setTimeout(function () { poll(url); }, POLL_MS * 4); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!input.files.length) {
      result.replaceChildren(text("p", gettext("Choose a file to upload."), { "class": "error" }));
      return;
    }
    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.setRequestHeader("Accept", "application/json");
    request.setRequestHeader("X-CSRFToken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    statusBox.hidden = false;
    bar.value = 0;
    message.textContent = gettext("Uploading…");
    result.replaceChildren();
    request.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) { bar.value = 0.1 * e.loaded / e.total; }
    });
    request.addEventListener("load", function () {
      var body = {};
      try { body = JSON.parse(request.responseText); } catch (ignore) { body = {}; }
      if (request.status === 202) {
        message.textContent = gettext("Queued");
        poll(body.status_url);
      } else {
        statusBox.hidden = true;
        result.replaceChildren(text("p", body.error || request.statusText,
          { "class": "error", role: "alert", id: "upload-error" }));
      }
    });
    request.send(new FormData(form));
  });
})();
