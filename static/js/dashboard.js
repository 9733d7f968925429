/* Region dashboard: follow the recomputation of the maps and the batches being imported by
   polling the dashboard's JSON status (every 2 s while something runs, every 15 s otherwise).
   Every text shown comes translated from the server (state labels, job messages). */
(function () {
  "use strict";
  var page = document.getElementById("dashboard");
  if (!page) { return; }
  var url = page.getAttribute("data-status-url");
  var BUSY_MS = 2000;
  var IDLE_MS = 15000;
  var wasActive = false;

  function setText(id, value) {
    var el = document.getElementById(id);
    if (el) { el.textContent = value; }
  }

  function showRecompute(job) {
    if (!job) { return; }
    var bar = document.getElementById("recompute-progress");
    if (!bar) { window.location.reload(); return; }  // the first recomputation has started
    bar.value = job.progress;
    setText("recompute-percent", Math.round(job.progress * 100) + " %");
    setText("recompute-message", job.message);
    var state = document.getElementById("recompute-state");
    if (state) {
      state.textContent = job.state_label;
      state.className = "state-" + job.state;
    }
  }

  function showBatches(batches) {
    var known = 0;
    batches.forEach(function (batch) {
      var row = page.querySelector('tr[data-batch="' + batch.id + '"]');
      if (!row) { return; }
      known += 1;
      ["state_label", "rows", "created", "updated", "unchanged", "errors"].forEach(function (key) {
        var cell = row.querySelector('[data-field="' + key + '"]');
        if (cell) { cell.textContent = String(batch[key]); }
      });
      var state = row.querySelector('[data-field="state_label"]');
      if (state) { state.className = "state state-" + batch.state; }
    });
    return known === batches.length;
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        showRecompute(status.recompute);
        var allShown = showBatches(status.batches);
        // A batch finished (its buttons change) or a new one arrived: load the page again.
        if ((wasActive && !status.active) || !allShown) { window.location.reload(); return; }
        wasActive = status.active;
        window.setTimeout(poll, status.active ? BUSY_MS : IDLE_MS);
      })
      .catch(function () { window.setTimeout(poll, IDLE_MS); });
  }

  poll();
})();
