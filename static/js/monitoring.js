/* The system page's plot: one sensor's series, downsampled by the server (mean line, min–max
   band). Drag across the plot to zoom in: the server sends a finer series for that span. */
(function () {
  "use strict";
  var root = document.getElementById("monitoring");
  var svg = document.getElementById("plot");
  if (!root || !svg) return;
  var ns = "http://www.w3.org/2000/svg";
  var url = root.dataset.seriesUrl;
  var select = document.querySelector("#plot-controls select[name=sensor]");
  var status = document.getElementById("plot-status");
  var W = +svg.getAttribute("width"), H = +svg.getAttribute("height");
  var M = {l: 64, r: 12, t: 12, b: 28};
  var current = null, span = null;
  // Display units at the edge: the API answers in SI.
  var DISPLAY = {
    "k": {unit: "°C", f: function (v) { return v - 273.15; }},
    "j": {unit: "kWh", f: function (v) { return v / 3.6e6; }},
    "m³/s": {unit: "L/min", f: function (v) { return v * 60000; }},
    "s": {unit: "min", f: function (v) { return v / 60; }}
  };

  function el(name, attrs, text) {
    var node = document.createElementNS(ns, name);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    svg.appendChild(node);
    return node;
  }

  function load(start, end) {
    var query = "?sensor=" + encodeURIComponent(select.value) + "&points=1500";
    if (start && end) query += "&start=" + encodeURIComponent(start.toISOString()) + "&end=" + encodeURIComponent(end.toISOString());
    status.textContent = gettext("Loading…");
    var t0 = performance.now();
    fetch(url + query, {headers: {Accept: "application/json"}, credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) {
        current = data;
        draw(data);
        status.textContent = interpolate(gettext("%s points (%s), %s ms"), [data.times.length, data.source, Math.round(performance.now() - t0)]);
        svg.dataset.points = data.times.length;
        svg.dataset.source = data.source;
        svg.dataset.bucket = data.bucket_s;
      })
      .catch(function (e) { status.textContent = gettext("The series could not be loaded.") + " " + e; });
  }

  function draw(data) {
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    if (!data.times.length) { el("text", {x: W / 2, y: H / 2, "text-anchor": "middle"}, gettext("No readings in this span.")); return; }
    var d = DISPLAY[data.unit] || {unit: data.unit, f: function (v) { return v; }};
    var t = data.times.map(function (s) { return Date.parse(s); });
    var t1 = t[t.length - 1] + data.bucket_s * 1000;
    span = [t[0], t1];
    var lo = Math.min.apply(null, data.minimum.map(d.f)), hi = Math.max.apply(null, data.maximum.map(d.f));
    if (hi === lo) { hi += 1; lo -= 1; }
    function x(v) { return M.l + (v - span[0]) / (span[1] - span[0]) * (W - M.l - M.r); }
    function y(v) { return H - M.b - (v - lo) / (hi - lo) * (H - M.t - M.b); }
    var band = t.map(function (v, i) { return x(v) + "," + y(d.f(data.maximum[i])); })
      .concat(t.slice().reverse().map(function (v, j) { var i = t.length - 1 - j; return x(v) + "," + y(d.f(data.minimum[i])); }));
    el("polygon", {points: band.join(" "), fill: "#9ecae1", opacity: 0.6});
    el("polyline", {points: t.map(function (v, i) { return x(v) + "," + y(d.f(data.mean[i])); }).join(" "), fill: "none", stroke: "#08519c", "stroke-width": 1.2});
    el("line", {x1: M.l, y1: H - M.b, x2: W - M.r, y2: H - M.b, stroke: "#333"});
    el("line", {x1: M.l, y1: M.t, x2: M.l, y2: H - M.b, stroke: "#333"});
    el("text", {x: M.l - 4, y: y(hi) + 4, "text-anchor": "end", "font-size": 11}, hi.toFixed(2));
    el("text", {x: M.l - 4, y: y(lo), "text-anchor": "end", "font-size": 11}, lo.toFixed(2));
    el("text", {x: 4, y: M.t + 10, "font-size": 11}, d.unit);
    el("text", {x: M.l, y: H - 8, "font-size": 11}, new Date(span[0]).toISOString().slice(0, 16).replace("T", " "));
    el("text", {x: W - M.r, y: H - 8, "font-size": 11, "text-anchor": "end"}, new Date(span[1]).toISOString().slice(0, 16).replace("T", " ") + " UTC");
  }

  var dragFrom = null, rubber = null;
  function timeAt(evt) {
    var box = svg.getBoundingClientRect();
    var px = (evt.clientX - box.left) * (W / box.width);
    var f = Math.min(Math.max((px - M.l) / (W - M.l - M.r), 0), 1);
    return {px: px, t: span[0] + f * (span[1] - span[0])};
  }
  svg.addEventListener("mousedown", function (evt) {
    if (!span) return;
    dragFrom = timeAt(evt);
    rubber = el("rect", {x: dragFrom.px, y: M.t, width: 0, height: H - M.t - M.b, fill: "#fd8d3c", opacity: 0.3});
  });
  svg.addEventListener("mousemove", function (evt) {
    if (!dragFrom || !rubber) return;
    var now = timeAt(evt);
    rubber.setAttribute("x", Math.min(now.px, dragFrom.px));
    rubber.setAttribute("width", Math.abs(now.px - dragFrom.px));
  });
  svg.addEventListener("mouseup", function (evt) {
    if (!dragFrom) return;
    var to = timeAt(evt), a = Math.min(dragFrom.t, to.t), b = Math.max(dragFrom.t, to.t);
    dragFrom = null;
    if (b - a < 60000) { if (current) draw(current); return; }
    load(new Date(a), new Date(b));
  });
  select.addEventListener("change", function () { load(); });
  document.getElementById("plot-reset").addEventListener("click", function () { load(); });
  load();
})();
