/* Home map: region outlines, the layer switcher (grouped, with opacity, band and legend),
   district outlines, borehole clusters, field-test sites, monitored systems, and the values
   under a click.
   Called by django-leaflet once the map exists (callback="window.ghaInitMap").
   No build step, no CDN: Leaflet comes from django-leaflet's static files. */
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
    window.ghaMap = map;
    var layers = setUpLayers(map);
    // A region's first view: fit it and show its leading layer (cooling for a cooling-led
    // climate, open loop where groundwater leads). ?region=CODE opens the page on it.
    function openRegion(button, animate) {
      var outline = byCode[button.dataset.region];
      if (outline) { map.fitBounds(outline.getBounds(), { padding: [20, 20], animate: animate }); }
      layers.then(function (show) { show(button.dataset.region, button.dataset.leadingLayer); });
    }
    document.querySelectorAll(".region-link").forEach(function (button) {
      button.addEventListener("click", function () { openRegion(button, true); });
    });
    var asked = new URLSearchParams(window.location.search).get("region");
    var first = asked && document.querySelector('.region-link[data-region="' + CSS.escape(asked) + '"]');
    if (first) { openRegion(first, false); }
    setUpDistricts(map);
    setUpBoreholes(map);
    setUpFieldTests(map);
    setUpMonitoring(map);
  };

  function text(tag, content, attrs) {
    var el = document.createElement(tag);
    if (content !== undefined && content !== null) { el.textContent = String(content); }
    Object.keys(attrs || {}).forEach(function (k) {
      // A style attribute is inline style, which the site's CSP refuses; the style object is not.
      if (k === "style") { el.style.cssText = attrs[k]; } else { el.setAttribute(k, attrs[k]); }
    });
    return el;
  }

  function format(value) {
    if (value === null || value === undefined) { return "—"; }
    var abs = Math.abs(value);
    var digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 0.01 || abs === 0 ? 2 : 6;
    return Number(value).toLocaleString(document.documentElement.lang,
      { maximumFractionDigits: digits });
  }

  // The API is outside the language-prefixed pages: ask it in the page's language.
  function getJSON(url) {
    return fetch(url, { credentials: "same-origin",
      headers: { "Accept-Language": document.documentElement.lang || "en" } })
      .then(function (r) { return r.json(); });
  }

  // The layer's definition as a list of "key: value" lines (nested values as JSON).
  function definitionList(definition) {
    var list = text("dl", null, { "class": "definition" });
    Object.keys(definition || {}).forEach(function (key) {
      var value = definition[key];
      if (value === null || value === undefined || value === "") { return; }
      list.appendChild(text("dt", key.replace(/_/g, " ")));
      list.appendChild(text("dd", typeof value === "object" ? JSON.stringify(value) : value));
    });
    return list;
  }

  function setUpLayers(map) {
    var select = document.getElementById("layer-select");
    var legend = document.getElementById("legend");
    var opacity = document.getElementById("layer-opacity");
    var bandChoice = document.getElementById("band-choice");
    var panel = document.getElementById("point-panel");
    var layers = {};
    var shown = null;
    var loaded = getJSON(select.dataset.api + "?limit=200").then(function (body) {
      var groups = {};
      body.results.forEach(function (layer) {
        layers[layer.id] = layer;
        if (!groups[layer.group]) {
          groups[layer.group] = text("optgroup", null,
            { label: layer.group_label, "data-group": layer.group });
          select.appendChild(groups[layer.group]);
        }
        groups[layer.group].appendChild(text("option", layer.region + " · " + layer.label +
          " (" + layer.units + ")", { value: layer.id, "data-kind": layer.kind,
          "data-region": layer.region }));
      });
    });

    function band() {
      var checked = bandChoice.querySelector("input:checked");
      return checked ? checked.value : "p50";
    }

    function draw() {
      if (shown) { map.removeLayer(shown); shown = null; }
      var layer = layers[select.value];
      if (!layer) { return; }
      var url = layer.tiles + (band() === "p50" ? "" : "?band=" + band());
      shown = L.tileLayer(url, { opacity: Number(opacity.value) / 100, maxZoom: 18 }).addTo(map);
    }

    select.addEventListener("change", function () {
      legend.replaceChildren();
      var layer = layers[select.value];
      // Only layers with uncertainty bands offer P10 / P90.
      var banded = !!layer && layer.bands.indexOf("p10") >= 0;
      bandChoice.querySelectorAll("input").forEach(function (input) {
        input.disabled = !banded && input.value !== "p50";
        if (!banded) { input.checked = input.value === "p50"; }
      });
      draw();
      if (!layer) { return; }
      getJSON(layer.legend).then(function (body) {
        var list = text("ul", null, { "class": "legend" });
        body.entries.forEach(function (entry) {
          var item = text("li");
          item.appendChild(text("span", "", { "class": "swatch",
            style: "background:" + entry.colour }));
          item.appendChild(text("span", entry.label || format(entry.value) + " " + body.units));
          list.appendChild(item);
        });
        var title = text("p", layer.label + " (" + body.units + ")", { "class": "legend-title" });
        var details = text("details", null, { id: "layer-definition" });
        details.appendChild(text("summary", gettext("Definition")));
        details.appendChild(text("p", layer.method, { "class": "method" }));
        details.appendChild(definitionList(body.definition));
        legend.replaceChildren(title, list, details);
      });
    });
    opacity.addEventListener("input", function () {
      if (shown) { shown.setOpacity(Number(opacity.value) / 100); }
    });
    bandChoice.addEventListener("change", draw);

    map.on("click", function (event) {
      var url = panel.dataset.api + "?lat=" + event.latlng.lat.toFixed(6) +
        "&lon=" + event.latlng.lng.toFixed(6);
      getJSON(url).then(function (body) {
        if (body.error) { panel.replaceChildren(text("p", body.error)); return; }
        var table = text("table", null, { "class": "data", id: "point-values" });
        var head = table.createTHead().insertRow();
        [gettext("Layer"), "P10", "P50", "P90"].forEach(function (h) {
          head.appendChild(text("th", h, { scope: "col" }));
        });
        var rows = table.createTBody();
        Object.keys(body.layers).forEach(function (kind) {
          var layer = body.layers[kind];
          var row = rows.insertRow();
          row.appendChild(text("th", layer.label, { "data-kind": kind, scope: "row" }));
          var v = layer.values;
          if (v.p50 === undefined) {  // the constraint layer: a class, not a quantity
            row.appendChild(text("td", format(v["class"]) + " " + layer.units, { colspan: 3 }));
            return;
          }
          ["p10", "p50", "p90"].forEach(function (name) {
            row.appendChild(text("td", v[name] === undefined ? "" :
              format(v[name]) + " " + layer.units, { "data-band": name }));
          });
        });
        var design = text("a", gettext("Design estimate here"), { "class": "button",
          id: "design-here",
          href: panel.dataset.design + "?lat=" + body.lat.toFixed(6) + "&lon=" + body.lon.toFixed(6) });
        panel.replaceChildren(text("p", body.region + " " + body.lat.toFixed(4) + ", " +
          body.lon.toFixed(4)), design, table);
      });
    });
    // Resolves to show(region, kind): select that region's layer of that kind, if visible.
    return loaded.then(function () {
      return function (region, kind) {
        var option = select.querySelector('option[data-region="' + CSS.escape(region) +
          '"][data-kind="' + CSS.escape(kind) + '"]');
        if (option && select.value !== option.value) {
          select.value = option.value;
          select.dispatchEvent(new Event("change"));
        }
      };
    });
  }

  function setUpDistricts(map) {
    var toggle = document.getElementById("show-districts");
    var outlines = null;
    toggle.addEventListener("change", function () {
      if (!toggle.checked) { if (outlines) { map.removeLayer(outlines); } return; }
      if (outlines) { outlines.addTo(map); return; }
      getJSON(toggle.dataset.api + "?page_size=200").then(function (body) {
        outlines = L.geoJSON(body, {
          style: { color: "#444", weight: 1, dashArray: "3 3", fill: false },
          onEachFeature: function (feature, layer) {
            layer.bindTooltip(feature.properties.name);
          },
        });
        if (toggle.checked) { outlines.addTo(map); }
        window.ghaDistricts = outlines;
      });
    });
  }

  // Sites of TRTs and pumping tests, with their current results in the popup.
  function setUpFieldTests(map) {
    var toggle = document.getElementById("show-field-tests");
    var sites = L.layerGroup();
    window.ghaFieldTests = sites;
    var loaded = false;
    toggle.addEventListener("change", function () {
      if (!toggle.checked) { map.removeLayer(sites); return; }
      sites.addTo(map);
      if (loaded) { return; }
      loaded = true;
      getJSON(toggle.dataset.api).then(function (body) {
        body.features.forEach(function (feature) {
          var c = feature.geometry.coordinates;
          var p = feature.properties;
          var marker = L.circleMarker([c[1], c[0]], {
            radius: 7, color: "#7f1d1d", weight: 2, fillColor: "#ef4444", fillOpacity: 0.9,
            bubblingMouseEvents: false,
          });
          var box = text("div", null, { "class": "site-popup" });
          box.appendChild(text("a", p.code, { href: toggle.dataset.page
            .replace("REGION", encodeURIComponent(p.region))
            .replace("CODE", encodeURIComponent(p.code)) + "#analyses" }));
          var list = text("ul");
          p.tests.forEach(function (test) {
            var value = test.conductivity_w_per_m_k !== undefined ?
              "λ " + format(test.conductivity_w_per_m_k) + " W/(m·K)" :
              test.transmissivity_m2_per_s !== undefined ?
              "T " + Number(test.transmissivity_m2_per_s).toExponential(2) + " m²/s" :
              "Q " + format(test.sustainable_rate_m3_per_s * 60000) + " L/min";
            list.appendChild(text("li", test.label + ": " + value));
          });
          box.appendChild(list);
          marker.bindPopup(box);
          marker.bindTooltip(p.code);
          sites.addLayer(marker);
        });
      });
    });
  }

  // Monitored systems, coloured by the worst severity of their open alerts.
  var SEVERITY_COLOURS = {
    none: "#64748b", info: "#2563eb", warning: "#f97316", critical: "#dc2626",
  };
  function setUpMonitoring(map) {
    var toggle = document.getElementById("show-monitoring");
    if (!toggle) { return; }
    var systems = L.layerGroup();
    window.ghaMonitoring = systems;
    var loaded = false;
    var loops = { closed: gettext("closed loop"), open: gettext("open loop") };
    var severities = { info: gettext("information"), warning: gettext("warning"),
      critical: gettext("critical") };
    toggle.addEventListener("change", function () {
      if (!toggle.checked) { map.removeLayer(systems); return; }
      systems.addTo(map);
      if (loaded) { return; }
      loaded = true;
      getJSON(toggle.dataset.api).then(function (body) {
        body.features.forEach(function (feature) {
          var c = feature.geometry.coordinates;
          var p = feature.properties;
          // Only open alerts colour a marker: a system with none is "none" whatever it had.
          var severity = p.open_alerts > 0 && SEVERITY_COLOURS[p.worst_severity] ?
            p.worst_severity : "none";
          var marker = L.circleMarker([c[1], c[0]], {
            radius: 8, color: "#1f2937", weight: 1.5, fillOpacity: 0.9,
            fillColor: SEVERITY_COLOURS[severity], bubblingMouseEvents: false,
            className: "monitored-system severity-" + severity,
          });
          var box = text("div", null, { "class": "system-popup" });
          box.appendChild(text("strong", p.name));
          var list = text("ul");
          list.appendChild(text("li", loops[p.loop] || p.loop));
          list.appendChild(text("li", p.open_alerts > 0 ?
            interpolate(ngettext("%s open alert", "%s open alerts", p.open_alerts),
              [p.open_alerts]) + " (" + (severities[severity] || severity) + ")" :
            gettext("No open alert.")));
          box.appendChild(list);
          box.appendChild(text("a", gettext("Monitoring data"), { href: toggle.dataset.page
            .replace("REGION", encodeURIComponent(p.region))
            .replace("CODE", encodeURIComponent(p.code)) }));
          marker.bindPopup(box);
          marker.bindTooltip(p.name);
          marker.feature = feature;
          systems.addLayer(marker);
        });
      });
    });
  }

  // Clusters come from the server per zoom and view: a few hundred bytes, not every borehole.
  function setUpBoreholes(map) {
    var toggle = document.getElementById("show-boreholes");
    var markers = L.layerGroup();
    window.ghaBoreholes = markers;
    function load() {
      if (!toggle.checked) { return; }
      var b = map.getBounds();
      var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) {
        return v.toFixed(4);
      }).join(",");
      var zoom = Math.min(20, Math.max(0, Math.round(map.getZoom())));
      getJSON(toggle.dataset.api + "?zoom=" + zoom + "&in_bbox=" + bbox).then(function (body) {
        markers.clearLayers();
        body.features.forEach(function (feature) {
          var c = feature.geometry.coordinates;
          var count = feature.properties.count;
          var marker = L.circleMarker([c[1], c[0]], {
            radius: 4 + Math.min(12, 3 * Math.log(count)),
            color: "#1f2937", weight: 1, fillColor: "#f59e0b", fillOpacity: 0.85,
            bubblingMouseEvents: false,  // a marker click is not a point query
          });
          if (count === 1) {
            var link = text("a", feature.properties.code, { href: toggle.dataset.page
              .replace("REGION", encodeURIComponent(feature.properties.region))
              .replace("CODE", encodeURIComponent(feature.properties.code)) });
            marker.bindPopup(link);
            marker.bindTooltip(feature.properties.code);
          } else {
            marker.bindTooltip(interpolate(ngettext("%s borehole", "%s boreholes", count),
              [count]));
            marker.on("click", function () { map.setView([c[1], c[0]], map.getZoom() + 2); });
          }
          markers.addLayer(marker);
        });
      });
    }
    toggle.addEventListener("change", function () {
      if (toggle.checked) { markers.addTo(map); load(); } else { map.removeLayer(markers); }
    });
    map.on("moveend", load);
  }
})();
