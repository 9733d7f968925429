/* Home map: outline every visible region and zoom to one when its name is chosen.
   Called by django-leaflet once the map exists (callback="window.ghaInitMap"). */
(function () {
  "use strict";
  window.ghaInitMap = function (map) {
    var data = JSON.parse(document.getElementById("region-outlines").textContent);
    var outlines = L.geoJSON(data, {
      style: { color: "#31688e", weight: 2, fillColor: "#35b779", fillOpacity: 0.15 },
      onEachFeature: function (feature, layer) {
        layer.bindTooltip(feature.properties.name);
      },
    }).addTo(map);
    var byCode = {};
    outlines.eachLayer(function (layer) {
      byCode[layer.feature.properties.code] = layer;
    });
    if (data.features.length) {
      // No animation: the map has no view yet, and an animated first zoom never ends then.
      map.fitBounds(outlines.getBounds(), { padding: [20, 20], animate: false });
    }
    document.querySelectorAll(".region-link").forEach(function (button) {
      button.addEventListener("click", function () {
        var layer = byCode[button.dataset.region];
        if (layer) { map.fitBounds(layer.getBounds(), { padding: [20, 20] }); }
      });
    });
    window.ghaMap = map;
    setUpLayers(map);
  };

  function text(tag, content, attrs) {
    var el = document.createElement(tag);
    if (content !== undefined && content !== null) { el.textContent = String(content); }
    Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    return el;
  }

  function format(value) {
    if (value === null || value === undefined) { return "—"; }
    var abs = Math.abs(value);
    var digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
    return Number(value).toLocaleString(document.documentElement.lang,
      { maximumFractionDigits: digits });
  }

  function setUpLayers(map) {
    var select = document.getElementById("layer-select");
    var legend = document.getElementById("legend");
    var panel = document.getElementById("point-panel");
    var layers = {};
    var shown = null;
    fetch(select.dataset.api + "?limit=200", { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (body) {
        body.results.forEach(function (layer) {
          layers[layer.id] = layer;
          select.appendChild(text("option", layer.region + " · " + layer.label +
            " (" + layer.units + ")", { value: layer.id, "data-kind": layer.kind }));
        });
      });
    select.addEventListener("change", function () {
      if (shown) { map.removeLayer(shown); shown = null; }
      legend.replaceChildren();
      var layer = layers[select.value];
      if (!layer) { return; }
      shown = L.tileLayer(layer.tiles, { opacity: 0.75, maxZoom: 18 }).addTo(map);
      fetch(layer.legend, { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (body) {
          var list = text("ul", null, { "class": "legend" });
          body.entries.forEach(function (entry) {
            var item = text("li");
            item.appendChild(text("span", "", { "class": "swatch",
              style: "background:" + entry.colour }));
            item.appendChild(text("span", entry.label || format(entry.value) + " " + body.units));
            list.appendChild(item);
          });
          legend.replaceChildren(text("p", body.definition.statistic ?
            gettext("Statistic") + ": " + body.definition.statistic : ""), list);
        });
    });
    map.on("click", function (event) {
      var url = panel.dataset.api + "?lat=" + event.latlng.lat.toFixed(6) +
        "&lon=" + event.latlng.lng.toFixed(6);
      fetch(url, { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (body) {
          if (body.error) { panel.replaceChildren(text("p", body.error)); return; }
          var table = text("table", null, { "class": "data", id: "point-values" });
          Object.keys(body.layers).forEach(function (kind) {
            var layer = body.layers[kind];
            var row = table.insertRow();
            row.appendChild(text("th", layer.label, { "data-kind": kind }));
            row.appendChild(text("td", format(layer.values.p50 !== undefined ?
              layer.values.p50 : layer.values["class"]) + " " + layer.units));
          });
          panel.replaceChildren(text("p", body.region + " " + body.lat.toFixed(4) + ", " +
            body.lon.toFixed(4)), table);
        });
    });
  }
})();
