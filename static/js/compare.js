/* Districts compared: scenario controls refetch the comparison without a page reload; the
   table sorts by a click on its header; the bar chart and the choropleth follow. */
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
  function colour(value, max) {
    if (value === null || value === undefined || !isFinite(value)) { return "#cccccc"; }
    var t = Math.max(0, Math.min(1, max > 0 ? value / max : 0));
    var stops = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
    var i = Math.min(3, Math.floor(t * 4)), f = t * 4 - i;
    var c = stops[i].map(function (a, k) { return Math.round(a + (stops[i + 1][k] - a) * f); });
    return "rgb(" + c.join(",") + ")";
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
       p.demand_basis.split(":")[0]].forEach(function (text, i) {
        var cell = row.insertCell();
        cell.textContent = text;
        if (i === 4) { cell.dataset.value = p.heating_coverage_p50; }
        if (i === 7) { cell.title = p.demand_basis; }
      });
    });
    var measure = form.elements.measure.value;
    var values = data.map(function (p) { return p[measure]; }).filter(function (v) { return v !== null && v !== undefined; });
    var max = values.length ? Math.max.apply(null, values) : 1;
    bars.replaceChildren();
    var top = data.filter(function (p) { return p[measure] !== null && p[measure] !== undefined; }).slice(0, 12);
    top.forEach(function (p, i) {
      var ns = "http://www.w3.org/2000/svg";
      var y = 10 + i * 25, width = max > 0 ? 300 * p[measure] / max : 0;
      var label = document.createElementNS(ns, "text");
      label.setAttribute("x", "0"); label.setAttribute("y", String(y + 13)); label.setAttribute("font-size", "11");
      label.textContent = p.name.length > 18 ? p.name.slice(0, 17) + "…" : p.name;
      var rect = document.createElementNS(ns, "rect");
      rect.setAttribute("x", "150"); rect.setAttribute("y", String(y)); rect.setAttribute("height", "18");
      rect.setAttribute("width", String(Math.max(0, width))); rect.setAttribute("fill", colour(p[measure], max));
      var value = document.createElementNS(ns, "text");
      value.setAttribute("x", String(155 + width)); value.setAttribute("y", String(y + 13)); value.setAttribute("font-size", "11");
      value.textContent = measure.indexOf("coverage") >= 0 ? percent(p[measure]) : number(p[measure], 0);
      bars.append(label, rect, value);
    });
    if (state.map) {
      if (state.layer) { state.map.removeLayer(state.layer); }
      state.layer = L.geoJSON({ type: "FeatureCollection", features: state.features.map(function (f) {
        return { type: "Feature", geometry: f.geometry, properties: f.properties };
      }) }, {
        style: function (f) { return { color: "#333", weight: 1, fillOpacity: 0.7, fillColor: colour(f.properties[measure], max) }; },
        onEachFeature: function (f, layer) {
          layer.bindTooltip(f.properties.name + ": " + (measure.indexOf("coverage") >= 0 ?
            percent(f.properties[measure]) : number(f.properties[measure], 0)));
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
