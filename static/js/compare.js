/* Districts compared: scenario controls refetch the comparison without a page reload; the
   table sorts by a click on its header; the bar chart (the districts ranked by the chosen
   measure, titled with it) and the choropleth (classed, with its legend) follow the measure. */
(function () {
  "use strict";
  var page = document.getElementById("compare");
  var form = document.getElementById("scenario");
  var table = document.getElementById("districts-table");
  var bars = document.getElementById("compare-bars");
  var error = document.getElementById("compare-error");
  var lang = document.documentElement.lang;
  var state = { features: [], sortKey: "heating_coverage_p50", descending: true, map: null, layer: null };

  function number(value, digits) {
    if (value === null || value === undefined) { return "—"; }
    return Number(value).toLocaleString(lang, { maximumFractionDigits: digits });
  }
  function percent(value) { return value === null || value === undefined ? "—" : Math.round(value * 100) + " %"; }
  function query() {
    var params = new URLSearchParams();
    ["adoption_share", "bhe_spacing_m", "bhe_length_m", "cop_heating", "eer_cooling"].forEach(function (name) {
      params.set(name, form.elements[name].value);
    });
    return params.toString();
  }
  var NO_DATA = "#cccccc";
  function ramp(t) {  // viridis, t in 0..1
    var stops = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
    var i = Math.min(3, Math.floor(t * 4)), f = t * 4 - i;
    var c = stops[i].map(function (a, k) { return Math.round(a + (stops[i + 1][k] - a) * f); });
    return "rgb(" + c.join(",") + ")";
  }
  function isCoverage(measure) { return measure.indexOf("coverage") >= 0; }
  // Classes with round edges over the districts' range: a step of 1, 2 or 5 × 10^k (in % for
  // a coverage), at most about five classes from below the smallest value to above the largest,
  // so districts that differ by a few per cent get different colours.
  function classes(measure, low, high) {
    var scale = isCoverage(measure) ? 100 : 1;  // coverage classes are round in per cent
    var lo = low * scale, hi = high * scale;
    var raw = hi > lo ? (hi - lo) / 5 : (Math.abs(hi) || 1) / 5;
    var magnitude = Math.pow(10, Math.floor(Math.log10(raw))), norm = raw / magnitude;
    var step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * magnitude;
    // half-open classes [a, b): the largest value falls in the last one
    var first = Math.floor(lo / step + 1e-9), last = Math.floor(hi / step + 1e-9) + 1;
    var edges = [];
    for (var i = first; i <= last; i += 1) { edges.push(Number((i * step).toPrecision(12)) / scale); }
    return edges;
  }
  function colour(value, edges) {
    if (value === null || value === undefined || !isFinite(value)) { return NO_DATA; }
    var n = edges.length - 1, step = edges[1] - edges[0];
    var i = Math.max(0, Math.min(n - 1, Math.floor((value - edges[0]) / step + 1e-9)));
    return ramp(n > 1 ? i / (n - 1) : 1);
  }
  function format(measure, value, digits) {
    if (!isCoverage(measure)) { return number(value, digits || 0); }
    return value === null || value === undefined ? "—" : number(value * 100, digits || 0) + " %";
  }
  function measureLabel() {
    var select = form.elements.measure;
    return select.options[select.selectedIndex].text;
  }
  function legend(measure, edges) {
    var box = document.getElementById("compare-legend");
    if (!box) { return; }
    box.replaceChildren();
    var title = document.createElement("p");
    title.className = "legend-title";
    title.textContent = measureLabel();
    var list = document.createElement("ul");
    list.className = "legend";
    function item(fill, text) {
      var li = document.createElement("li");
      var swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = fill;
      li.append(swatch, document.createTextNode(text));  // the swatch has its margin
      list.appendChild(li);
    }
    // as many decimals as the step needs (a step of 0.5 t/yr is not "0 – 1")
    var step = (edges[1] - edges[0]) * (isCoverage(measure) ? 100 : 1);
    var digits = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
    for (var i = 0; i < edges.length - 1; i += 1) {
      item(colour(edges[i], edges),
        format(measure, edges[i], digits) + " – " + format(measure, edges[i + 1], digits));
    }
    item(NO_DATA, gettext("no data"));
    box.append(title, list);
  }
  function rows() {
    return state.features.map(function (f) { return f.properties; });
  }
  function key(p, name) { return p[name]; }
  function render() {
    var data = rows().slice().sort(function (a, b) {
      var x = key(a, state.sortKey), y = key(b, state.sortKey);
      if (x === null || x === undefined) { return 1; }
      if (y === null || y === undefined) { return -1; }
      var order = typeof x === "string" ? x.localeCompare(y) : x - y;
      return state.descending ? -order : order;
    });
    var body = table.tBodies[0];
    body.replaceChildren();
    data.forEach(function (p) {
      var row = body.insertRow();
      row.dataset.code = p.code;
      [p.name, number(p.heating_demand_mwh, 0), number(p.closed_heating_mwh_p50, 0),
       number(p.open_heating_mwh_p50, 0),
       percent(p.heating_coverage_p10) + " / " + percent(p.heating_coverage_p50) + " / " + percent(p.heating_coverage_p90),
       percent(p.cooling_coverage_p50), number(p.co2_saved_t_p50, 0),
       p.demand_basis_label || p.demand_basis].forEach(function (text, i) {
        var cell = row.insertCell();
        cell.textContent = text;
        if (i === 4) { cell.dataset.value = p.heating_coverage_p50; }
        if (i === 7) { cell.title = p.demand_basis_text || p.demand_basis; }
      });
    });
    var measure = form.elements.measure.value;
    var values = data.map(function (p) { return p[measure]; }).filter(function (v) { return v !== null && v !== undefined; });
    var max = values.length ? Math.max.apply(null, values) : 1;
    var min = values.length ? Math.min.apply(null, values) : 0;
    var edges = classes(measure, min, max);
    var ns = "http://www.w3.org/2000/svg";
    bars.replaceChildren();
    var heading = document.createElementNS(ns, "text");
    heading.setAttribute("x", "0"); heading.setAttribute("y", "14"); heading.setAttribute("font-size", "13");
    heading.setAttribute("font-weight", "600"); heading.setAttribute("id", "compare-bars-title");
    heading.textContent = interpolate(gettext("Districts ranked by %(measure)s"), { measure: measureLabel() }, true);
    bars.appendChild(heading);
    bars.setAttribute("aria-label", heading.textContent);
    // The districts ranked by the chosen measure, whatever the table is sorted by.
    var top = data.filter(function (p) { return p[measure] !== null && p[measure] !== undefined; })
      .sort(function (a, b) { return b[measure] - a[measure]; }).slice(0, 12);
    top.forEach(function (p, i) {
      var y = 28 + i * 25, width = max > 0 ? 300 * p[measure] / max : 0;
      var label = document.createElementNS(ns, "text");
      label.setAttribute("x", "0"); label.setAttribute("y", String(y + 13)); label.setAttribute("font-size", "11");
      label.textContent = p.name.length > 18 ? p.name.slice(0, 17) + "…" : p.name;
      var rect = document.createElementNS(ns, "rect");
      rect.setAttribute("x", "150"); rect.setAttribute("y", String(y)); rect.setAttribute("height", "18");
      rect.setAttribute("width", String(Math.max(0, width))); rect.setAttribute("fill", colour(p[measure], edges));
      rect.dataset.code = p.code;
      var value = document.createElementNS(ns, "text");
      value.setAttribute("x", String(155 + width)); value.setAttribute("y", String(y + 13)); value.setAttribute("font-size", "11");
      value.textContent = format(measure, p[measure]);
      bars.append(label, rect, value);
    });
    legend(measure, edges);
    if (state.map) {
      if (state.layer) { state.map.removeLayer(state.layer); }
      state.layer = L.geoJSON({ type: "FeatureCollection", features: state.features.map(function (f) {
        return { type: "Feature", geometry: f.geometry, properties: f.properties };
      }) }, {
        style: function (f) { return { color: "#333", weight: 1, fillOpacity: 0.7, fillColor: colour(f.properties[measure], edges) }; },
        onEachFeature: function (f, layer) {
          layer.bindTooltip(f.properties.name + ": " + format(measure, f.properties[measure]));
        },
      }).addTo(state.map);
      if (!state.fitted && state.layer.getBounds().isValid()) {
        state.map.fitBounds(state.layer.getBounds(), { animate: false });
        state.fitted = true;
      }
    }
  }
  var pending = null;
  function load() {
    var url = page.dataset.url + "?" + query();
    document.querySelectorAll(".exports a").forEach(function (a) {
      a.href = url.replace(".geojson?", "." + a.dataset.ext + "?");
    });
    if (pending) { pending.abort(); }
    pending = new AbortController();
    fetch(url, { credentials: "same-origin", signal: pending.signal,
                 headers: { "Accept-Language": lang } })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (answer) {
        if (!answer.ok) { error.hidden = false; error.textContent = answer.body.error; return; }
        error.hidden = true;
        state.features = answer.body.features.map(function (f) {
          var p = {}; Object.keys(f.properties).forEach(function (h) { p[h] = f.properties[h]; });
          return { geometry: f.geometry, properties: p };
        });
        normalise();
        render();
        page.dataset.loaded = String(Number(page.dataset.loaded || 0) + 1);
      })
      .catch(function () {});
  }
  // The GeoJSON's properties carry unit-labelled headers; map them back to keys.
  var HEADERS = {
    "code": "code", "name": "name", "demand basis": "demand_basis",
    "heating demand [MWh/yr]": "heating_demand_mwh",
    "closed-loop heating supply P50 [MWh/yr]": "closed_heating_mwh_p50",
    "open-loop heating supply P50 [MWh/yr]": "open_heating_mwh_p50",
    "heating coverage P10 [share]": "heating_coverage_p10",
    "heating coverage P50 [share]": "heating_coverage_p50",
    "heating coverage P90 [share]": "heating_coverage_p90",
    "cooling coverage P50 [share]": "cooling_coverage_p50",
    "CO2 saved P50 [t/yr]": "co2_saved_t_p50",
    "demand_basis_label": "demand_basis_label", "demand_basis_text": "demand_basis_text",
  };
  function normalise() {
    state.features.forEach(function (f) {
      var p = {};
      Object.keys(HEADERS).forEach(function (h) { p[HEADERS[h]] = f.properties[h]; });
      f.properties = p;
    });
  }
  window.ghaCompareMap = function (map) { state.map = map; render(); };
  form.addEventListener("input", function (event) {
    if (event.target.name === "adoption_share") {
      document.getElementById("adoption-out").textContent = event.target.value;
    }
    if (event.target.name === "measure") { render(); return; }
    load();
  });
  table.tHead.addEventListener("click", function (event) {
    var th = event.target.closest("th[data-key]");
    if (!th) { return; }
    state.descending = state.sortKey === th.dataset.key ? !state.descending : true;
    state.sortKey = th.dataset.key;
    render();
  });
  load();
})();
