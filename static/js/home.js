/* The map page: the site's own basemap (district outlines and names), the open region's
   layers grouped with their legend and definition, a search box, the values under a click in
   a card beside the pin (two points side by side on request), and the overlays (district
   outlines, borehole clusters, field-test sites, monitored systems).
   No build step, no CDN, no inline script: Leaflet comes from django-leaflet's static files,
   the page's data from json_script elements and data- attributes. */
(function () {
  "use strict";

  var LANG = document.documentElement.lang || "en";
  // Chromium has no Tajik number data; Tajik writes numbers as Russian does (1 234,5).
  var NUMBER_LOCALE = Intl.NumberFormat.supportedLocalesOf([LANG]).length ? LANG :
    (LANG === "tg" ? "ru" : "en");
  var GROUP_ORDER = ["closed_loop", "open_loop", "ground", "constraints"];
  // Within a group: the sized methods first, rules of thumb after; power before its inputs.
  var KIND_ORDER = ["closed_loop_heating", "closed_loop_cooling", "vdi4640_1800", "vdi4640_2400",
    "open_loop_heat_rate", "open_loop_flow", "open_loop_spacing", "conductivity",
    "ground_temperature", "groundwater_depth", "constraints_open_loop"];
  function kindRank(kind) {
    var rank = KIND_ORDER.indexOf(kind);
    return rank < 0 ? KIND_ORDER.length : rank;
  }
  var WIDE = window.matchMedia("(min-width: 701px)");

  function text(tag, content, attrs) {
    var el = document.createElement(tag);
    if (content !== undefined && content !== null) { el.textContent = String(content); }
    Object.keys(attrs || {}).forEach(function (k) {
      // A style attribute is inline style, which the site's CSP refuses; the style object is not.
      if (k === "style") { el.style.cssText = attrs[k]; } else { el.setAttribute(k, attrs[k]); }
    });
    return el;
  }

  // Up to 2 decimals below 10, 1 below 100, none above (what the maps support), grouped and
  // with the page language's separators.
  function fmt(value) {
    if (value === null || value === undefined || !isFinite(value)) { return "—"; }
    var abs = Math.abs(value);
    var digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 0.01 || abs === 0 ? 2 : 4;
    return new Intl.NumberFormat(NUMBER_LOCALE, { maximumFractionDigits: digits })
      .format(value).replace(/^-/, "\u2212");
  }
  function quantity(value, unit) {
    return fmt(value) + (unit && unit !== "class" ? "\u00a0" + unit : "");
  }

  // The API is outside the language-prefixed pages: ask it in the page's language.
  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept-Language": LANG } })
      .then(function (r) {
        return r.json().then(function (body) { return { status: r.status, body: body }; },
          function () { return { status: r.status, body: {} }; });
      });
  }

  // Coordinates in the page's number format; where the decimal mark is a comma (ru, tg) the
  // pair is separated by a semicolon, so "36,49728; 139,01001" cannot be misread.
  var COORD_FORMAT = new Intl.NumberFormat(NUMBER_LOCALE, {
    maximumFractionDigits: 5, useGrouping: false,
  });
  var DECIMAL_COMMA = COORD_FORMAT.format(0.5).indexOf(",") !== -1;
  function latLonText(lat, lon) {
    return fmt5(lat) + (DECIMAL_COMMA ? "; " : ", ") + fmt5(lon);
  }
  function fmt5(value) {
    return COORD_FORMAT.format(value);
  }

  window.addEventListener("DOMContentLoaded", function () {
    var config = JSON.parse(document.getElementById("map-config").textContent);
    var map = L.map("main-map", {
      center: config.center, zoom: config.zoom, minZoom: config.min_zoom,
      maxZoom: config.max_zoom, zoomControl: true,
    });
    map.attributionControl.setPrefix(config.attribution_prefix || false);
    L.control.scale({ imperial: false }).addTo(map);
    window.ghaMap = map;
    init(map, config);
  });

  function init(map, config) {
    // Panes, bottom to top: land fill, an operator's raster basemap and the map layer
    // (tilePane), district lines, the interactive overlays, names. Lines and names never
    // take a click: a click on the map is a point query.
    [["basemapFill", 150], ["basemapLines", 390], ["basemapLabels", 450]].forEach(function (p) {
      var pane = map.createPane(p[0]);
      pane.style.zIndex = p[1];
      pane.style.pointerEvents = "none";
    });
    var rasterBasemap = !!config.basemap_url;
    if (rasterBasemap) {
      L.tileLayer(config.basemap_url, { attribution: config.basemap_attribution,
        maxZoom: config.max_zoom, zIndex: 1 }).addTo(map);
      document.body.classList.add("raster-basemap");
    }

    var data = JSON.parse(document.getElementById("region-outlines").textContent);
    var labels = labelLayer(map);
    var regions = {};  // code → {feature, outline, bounds}
    var land = L.geoJSON(data, { pane: "basemapFill", interactive: false,
      style: { stroke: false, fillColor: "#fbfaf6", fillOpacity: rasterBasemap ? 0 : 1 } });
    land.addTo(map);
    var outlines = L.geoJSON(data, {
      style: regionStyle(false),
      // Named by a label on the map (labelLayer), not a tooltip that follows the pointer.
      onEachFeature: function (feature, layer) {
        regions[feature.properties.code] = { feature: feature, outline: layer,
          bounds: layer.getBounds() };
        labels.add({ kind: "region", region: feature.properties.code,
          text: feature.properties.name, latlng: L.latLng(feature.properties.label[1],
            feature.properties.label[0]), bounds: layer.getBounds(), priority: 1e9 });
      },
    }).addTo(map);
    if (data.features.length) {
      // No animation: the map has no view yet, and an animated first zoom never ends then.
      map.fitBounds(outlines.getBounds(), { padding: [20, 20], animate: false });
    }

    var state = { open: null };
    var basemap = setUpBasemap(map, labels);
    var layers = setUpLayers(map);
    var card = setUpPointCard(map, labels, function (code) { openRegion(code, { fit: false }); });

    function regionStyle(open) {
      return { color: "#31688e", weight: open ? 2.5 : 2, fillColor: "#35b779",
        fillOpacity: open ? 0 : 0.15 };
    }

    // Opening a region: its basemap, its layers (the leading one shown) and, when asked, the
    // view fitted to it. Only the open region's layers are offered.
    function openRegion(code, options) {
      var region = regions[code];
      if (!region) { return; }
      if ((options || {}).fit) {
        map.fitBounds(region.bounds, { padding: [20, 20], animate: !!options.animate });
      }
      if (state.open === code) { return; }
      state.open = code;
      Object.keys(regions).forEach(function (other) {
        regions[other].outline.setStyle(regionStyle(other === code));
      });
      document.querySelectorAll(".region-link").forEach(function (button) {
        button.setAttribute("aria-pressed", String(button.dataset.region === code));
      });
      labels.setOpen(code);
      basemap.load(code);
      var button = document.querySelector('.region-link[data-region="' + CSS.escape(code) + '"]');
      layers.show(code, button ? button.dataset.leadingLayer : null);
      rememberRegion(code);
    }
    window.ghaOpenRegion = openRegion;

    document.querySelectorAll(".region-link").forEach(function (button) {
      button.addEventListener("click", function () {
        openRegion(button.dataset.region, { fit: true, animate: true });
      });
    });
    var asked = new URLSearchParams(window.location.search).get("region");
    var codes = Object.keys(regions);
    if (asked && regions[asked]) {
      openRegion(asked, { fit: true, animate: false });
    } else if (codes.length === 1) {
      openRegion(codes[0], { fit: false });
    }
    // Panning to another region at a close zoom brings its names with it.
    map.on("moveend", function () {
      if (map.getZoom() < 7) { return; }
      var view = map.getBounds();
      codes.forEach(function (code) {
        if (regions[code].bounds.intersects(view)) { basemap.load(code); }
      });
    });

    setUpSearch(map, card, function (code) { openRegion(code, { fit: false }); });
    setUpDistricts(map);
    setUpBoreholes(map);
    setUpFieldTests(map);
    setUpMonitoring(map);
  }

  // The open region in the address and in the language menu's return address, so a link or
  // a language change keeps it.
  function rememberRegion(code) {
    var url = new URL(window.location.href);
    url.searchParams.set("region", code);
    window.history.replaceState(null, "", url.pathname + url.search + url.hash);
    var next = document.querySelector(".language input[name=next]");
    if (next) { next.value = url.pathname + url.search; }
  }

  /* Names on the map: region names while a region is small on screen, district names when
     their district is wide enough to hold them, larger districts first, none overlapping. */
  function labelLayer(map) {
    var items = [];
    var open = null;
    var avoid = function () { return []; };  // points whose pin must not be covered
    function add(item) {
      item.marker = L.marker(item.latlng, {
        pane: "basemapLabels", interactive: false, keyboard: false,
        icon: L.divIcon({ className: "map-label map-label-" + item.kind,
          html: "<span></span>", iconSize: [0, 0] }),
      });
      item.width = estimateWidth(item.text, item.kind);
      items.push(item);
    }
    function estimateWidth(label, kind) {
      var wide = (label.match(/[\u3000-\u9fff\uff00-\uffef]/g) || []).length;
      var size = kind === "region" ? 8.5 : 7;
      return wide * size * 1.9 + (label.length - wide) * size + 8;
    }
    function update() {
      var zoom = map.getZoom();
      // A pin stands above its point: no name under it.
      var placed = avoid().map(function (latlng) {
        var p = map.latLngToContainerPoint(latlng);
        return { x1: p.x - 14, x2: p.x + 14, y1: p.y - 32, y2: p.y + 4 };
      });
      var sorted = items.slice().sort(function (a, b) { return b.priority - a.priority; });
      sorted.forEach(function (item) {
        var nw = map.latLngToContainerPoint(item.bounds.getNorthWest());
        var se = map.latLngToContainerPoint(item.bounds.getSouthEast());
        var span = Math.max(se.x - nw.x, se.y - nw.y);
        var show;
        if (item.kind === "region") {
          show = item.region !== open || span < 160;
        } else {
          show = item.region === open && span >= item.width * 0.9 && zoom >= 6;
        }
        if (show) {
          var p = map.latLngToContainerPoint(item.latlng);
          var box = { x1: p.x - item.width / 2 - 4, x2: p.x + item.width / 2 + 4,
            y1: p.y - 10, y2: p.y + 10 };
          show = !placed.some(function (other) {
            return box.x1 < other.x2 && box.x2 > other.x1 && box.y1 < other.y2 && box.y2 > other.y1;
          });
          if (show) { placed.push(box); }
        }
        if (show && !map.hasLayer(item.marker)) {
          item.marker.addTo(map);
          item.marker.getElement().firstChild.textContent = item.text;
        } else if (!show && map.hasLayer(item.marker)) {
          map.removeLayer(item.marker);
        }
      });
    }
    map.on("zoomend moveend", update);
    return {
      add: add, update: update,
      setOpen: function (code) { open = code; update(); },
      setAvoid: function (points) { avoid = points; },
    };
  }

  /* The site's own basemap: district outlines and names of a region, fetched once. */
  function setUpBasemap(map, labels) {
    var url = document.getElementById("main-map").dataset.basemap;
    var loaded = {};
    var lines = {};
    window.ghaBasemap = lines;
    return {
      load: function (code) {
        if (loaded[code]) { return loaded[code]; }
        loaded[code] = getJSON(url.replace("REGION", encodeURIComponent(code)) + "?lang=" +
          encodeURIComponent(LANG)).then(function (answer) {
          if (answer.status !== 200) { return; }
          lines[code] = L.geoJSON(answer.body, {
            pane: "basemapLines", interactive: false,
            style: { color: "#7d8790", weight: 0.8, opacity: 0.9, fill: false },
            onEachFeature: function (feature, layer) {
              var p = feature.properties;
              labels.add({ kind: "district", region: code, text: p.name,
                latlng: L.latLng(p.label[1], p.label[0]), bounds: layer.getBounds(),
                priority: p.area_km2 });
            },
          }).addTo(map);
          labels.update();
        });
        return loaded[code];
      },
    };
  }

  // The layer's definition as stored, "key: value" lines (nested values as JSON): for experts.
  function definitionList(definition) {
    var list = text("dl", null, { "class": "definition" });
    Object.keys(definition || {}).forEach(function (key) {
      var value = definition[key];
      if (value === null || value === undefined || value === "") { return; }
      list.appendChild(text("dt", key));
      list.appendChild(text("dd", typeof value === "object" ? JSON.stringify(value) : value));
    });
    return list;
  }

  function optionLabel(layer) {
    return layer.display_units && layer.units !== "class" ?
      layer.label + " (" + layer.display_units + ")" : layer.label;
  }

  function setUpLayers(map) {
    var select = document.getElementById("layer-select");
    var legend = document.getElementById("legend");
    var opacity = document.getElementById("layer-opacity");
    var bandChoice = document.getElementById("band-choice");
    var prompt = select.options[0].textContent;
    var layers = {};
    var byRegion = {};
    var shown = null;
    var current = null;

    function band() {
      var checked = bandChoice.querySelector("input:checked");
      return checked ? checked.value : "p50";
    }
    function draw() {
      if (shown) { map.removeLayer(shown); shown = null; }
      var layer = layers[select.value];
      if (!layer) { return; }
      var url = layer.tiles + (band() === "p50" ? "" : "?band=" + band());
      shown = L.tileLayer(url, { opacity: Number(opacity.value) / 100, maxZoom: 18,
        zIndex: 10 }).addTo(map);
    }
    function fill(region, list) {
      select.replaceChildren(text("option", gettext("None"), { value: "" }));
      var groups = {};
      list.slice().sort(function (a, b) {
        return GROUP_ORDER.indexOf(a.group) - GROUP_ORDER.indexOf(b.group) ||
          kindRank(a.kind) - kindRank(b.kind);
      }).forEach(function (layer) {
        layers[layer.id] = layer;
        if (!groups[layer.group]) {
          groups[layer.group] = text("optgroup", null,
            { label: layer.group_label, "data-group": layer.group });
          select.appendChild(groups[layer.group]);
        }
        groups[layer.group].appendChild(text("option", optionLabel(layer), { value: layer.id,
          "data-kind": layer.kind, "data-region": layer.region }));
      });
      select.disabled = false;
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
      getJSON(layer.legend).then(function (answer) {
        if (layers[select.value] !== layer) { return; }  // another layer was chosen meanwhile
        var body = answer.body;
        var list = text("ul", null, { "class": "legend" });
        body.entries.forEach(function (entry) {
          var item = text("li");
          item.appendChild(text("span", "", { "class": "swatch",
            style: "background:" + entry.colour }));
          item.appendChild(text("span", entry.label, { "data-value": entry.display_value }));
          list.appendChild(item);
        });
        var title = text("p", optionLabel(layer), { "class": "legend-title" });
        var summary = text("p", body.summary, { "class": "layer-summary" });
        var details = text("details", null, { id: "layer-definition" });
        details.appendChild(text("summary", gettext("Definition as stored (for experts)")));
        details.appendChild(text("p", layer.method, { "class": "method" }));
        details.appendChild(definitionList(body.definition));
        legend.replaceChildren(title, summary, list, details);
      });
    });
    opacity.addEventListener("input", function () {
      if (shown) { shown.setOpacity(Number(opacity.value) / 100); }
    });
    bandChoice.addEventListener("change", draw);

    return {
      // The region's layers in the switcher, its leading kind shown.
      show: function (region, kind) {
        current = region;
        if (!byRegion[region]) {
          byRegion[region] = getJSON(select.dataset.api + "?limit=200&region__code=" +
            encodeURIComponent(region)).then(function (answer) {
            return answer.status === 200 ? answer.body.results : [];
          });
        }
        select.disabled = true;
        select.replaceChildren(text("option", prompt, { value: "" }));
        return byRegion[region].then(function (list) {
          if (current !== region) { return; }
          fill(region, list);
          var option = kind && select.querySelector('option[data-kind="' + CSS.escape(kind) + '"]');
          select.value = option ? option.value : "";
          select.dispatchEvent(new Event("change"));
        });
      },
    };
  }

  /* The values under a click: a pin, and a card beside it with every layer's P50 and its
     P10–P90 range in display units, "Design estimate here", and a second point to compare. */
  function setUpPointCard(map, labels, openRegion) {
    var card = document.getElementById("point-card");
    var title = document.getElementById("point-title");
    var actions = document.getElementById("point-actions");
    var body = document.getElementById("point-panel");
    var pins = L.featureGroup().addTo(map);  // a feature group tells when a pin comes or goes
    window.ghaPins = pins;
    labels.setAvoid(function () {
      return pins.getLayers().map(function (pin) { return pin.getLatLng(); });
    });
    pins.on("layeradd layerremove", function () { labels.update(); });
    var first = null;  // {lat, lon, answer} kept for a comparison
    var comparing = false;
    var asked = 0;

    function pin(lat, lon, letter) {
      return L.marker([lat, lon], { keyboard: false, interactive: false,
        icon: L.divIcon({ className: "map-pin" + (letter ? " map-pin-letter" : ""),
          html: "", iconSize: [26, 30], iconAnchor: [13, 29] }),
      }).addTo(pins);
    }
    function open() {
      card.hidden = false;
    }
    function close() {
      card.hidden = true;
      pins.clearLayers();
      first = null;
      comparing = false;
    }
    document.getElementById("point-close").addEventListener("click", close);

    // Keep the pin clear of the card: beside it on a wide screen, above it on a phone.
    function keepInView(lat, lon) {
      var wide = WIDE.matches;
      var size = card.getBoundingClientRect();
      map.panInside([lat, lon], wide ?
        { paddingTopLeft: [24, 72], paddingBottomRight: [size.width + 32, 24] } :
        { paddingTopLeft: [24, 72], paddingBottomRight: [24, size.height + 24] });
    }

    function designLink(lat, lon, label, id) {
      return text("a", label, { "class": "button", id: id,
        href: card.dataset.design + "?lat=" + lat.toFixed(6) + "&lon=" + lon.toFixed(6) });
    }

    function sortedKinds(answers) {
      var kinds = {};
      answers.forEach(function (a) {
        Object.keys(a.layers || {}).forEach(function (kind) { kinds[kind] = a.layers[kind]; });
      });
      return Object.keys(kinds).sort(function (x, y) {
        var a = kinds[x].display, b = kinds[y].display;
        return GROUP_ORDER.indexOf(a.group) - GROUP_ORDER.indexOf(b.group) ||
          kindRank(x) - kindRank(y);
      }).map(function (kind) { return [kind, kinds[kind]]; });
    }

    function valueCell(layer) {
      var cell = text("td", null, { "data-band": "p50", "class": "value" });
      if (!layer) { cell.textContent = "—"; return cell; }
      var d = layer.display;
      if (d.label !== undefined) {  // the constraint layer: a class, not a quantity
        cell.appendChild(text("span", "", { "class": "swatch class-" + layer.values["class"] }));
        cell.appendChild(document.createTextNode(d.label));
        return cell;
      }
      cell.appendChild(text("strong", quantity(d.values.p50, d.units)));
      if (d.note) { cell.appendChild(text("span", " " + d.note, { "class": "note" })); }
      if (d.per_borehole && d.per_borehole.values.p50 !== null) {
        cell.appendChild(text("span", "≈ " + quantity(d.per_borehole.values.p50,
          d.per_borehole.units) + " " + d.per_borehole.label, { "class": "sub" }));
      }
      return cell;
    }
    function rangeCell(layer) {
      var cell = text("td", null, { "class": "range" });
      if (!layer || layer.display.label !== undefined) { return cell; }
      var d = layer.display;
      if (d.values.p10 === undefined && d.values.p90 === undefined) { return cell; }
      // "7.27–7.44 W/m": the unit once, after the upper value.
      cell.appendChild(text("span", fmt(d.values.p10), { "data-band": "p10" }));
      cell.appendChild(document.createTextNode("–"));
      cell.appendChild(text("span", quantity(d.values.p90, d.units), { "data-band": "p90" }));
      return cell;
    }

    function groupRow(tbody, layer, columns, last) {
      var group = layer.display.group;
      if (group !== last) {
        var row = tbody.insertRow();
        row.className = "group";
        row.appendChild(text("th", layer.display.group_label, { colspan: columns, scope: "rowgroup" }));
      }
      return group;
    }

    function single(answer) {
      var table = text("table", null, { "class": "data point-values", id: "point-values" });
      var head = table.createTHead().insertRow();
      [gettext("Layer"), gettext("Median (P50)"), gettext("Likely range (P10–P90)")]
        .forEach(function (h) { head.appendChild(text("th", h, { scope: "col" })); });
      var tbody = table.createTBody();
      var last = null;
      sortedKinds([answer]).forEach(function (pair) {
        var kind = pair[0], layer = pair[1];
        last = groupRow(tbody, layer, 3, last);
        var row = tbody.insertRow();
        row.appendChild(text("th", layer.label, { "data-kind": kind, scope: "row",
          title: layer.summary || "" }));
        row.appendChild(valueCell(layer));
        row.appendChild(rangeCell(layer));
      });
      return table;
    }

    function compared(a, b) {
      var table = text("table", null, { "class": "data point-values compare", id: "point-values" });
      var head = table.createTHead().insertRow();
      head.appendChild(text("th", gettext("Layer"), { scope: "col" }));
      head.appendChild(text("th", "A", { scope: "col" }));
      head.appendChild(text("th", "B", { scope: "col" }));
      var tbody = table.createTBody();
      var last = null;
      sortedKinds([a, b]).forEach(function (pair) {
        var kind = pair[0], layer = pair[1];
        last = groupRow(tbody, layer, 3, last);
        var row = tbody.insertRow();
        row.appendChild(text("th", layer.label, { "data-kind": kind, scope: "row",
          title: layer.summary || "" }));
        var cellA = valueCell(a.layers[kind]);
        cellA.setAttribute("data-point", "a");
        var cellB = valueCell(b.layers[kind]);
        cellB.setAttribute("data-point", "b");
        row.appendChild(cellA);
        row.appendChild(cellB);
      });
      return table;
    }

    function place(answer) {
      return (answer.region_name || answer.region || "") + " · " + latLonText(answer.lat, answer.lon);
    }

    function ask(lat, lon) {
      var ticket = ++asked;
      return getJSON(card.dataset.api + "?lat=" + lat.toFixed(6) + "&lon=" + lon.toFixed(6))
        .then(function (answer) {
          if (ticket !== asked) { return null; }  // a later click won
          if (answer.status === 404) {
            return { error: gettext("This point is outside every region.") };
          }
          if (answer.status !== 200) {
            return { error: answer.body.error || answer.body.detail || gettext("The values could not be read.") };
          }
          return answer.body;
        }, function () {
          return ticket === asked ? { error: gettext("The values could not be read.") } : null;
        });
    }

    function showSingle(lat, lon, answer, heading) {
      actions.replaceChildren();
      if (answer.error) {
        title.textContent = heading || latLonText(lat, lon);
        body.replaceChildren(text("p", answer.error, { "class": "hint" }));
        return;
      }
      title.textContent = heading ? heading + " · " + latLonText(lat, lon) : place(answer);
      actions.appendChild(designLink(answer.lat, answer.lon, gettext("Design estimate here"),
        "design-here"));
      var compare = text("button", gettext("Compare with another point"),
        { type: "button", id: "compare-start", "class": "secondary" });
      compare.addEventListener("click", function () {
        comparing = true;
        first = { lat: answer.lat, lon: answer.lon, answer: answer };
        pins.clearLayers();
        pin(answer.lat, answer.lon, "A").getElement().textContent = "A";
        compare.replaceWith(text("p", gettext("Click a second point on the map."),
          { "class": "hint", id: "compare-hint" }));
      });
      actions.appendChild(compare);
      body.replaceChildren(single(answer));
      if (answer.region) { openRegion(answer.region); }
    }

    function showCompared(a, b) {
      title.textContent = gettext("Two points compared");
      actions.replaceChildren(
        designLink(a.lat, a.lon, gettext("Design estimate at A"), "design-a"),
        designLink(b.lat, b.lon, gettext("Design estimate at B"), "design-b"));
      var legend = text("p", null, { "class": "hint" });
      legend.textContent = "A: " + place(a) + " — B: " + place(b);
      body.replaceChildren(legend, compared(a, b));
    }

    // A point: pin it, ask for its values, show them (or both points when comparing).
    function at(lat, lon, heading) {
      if (comparing && first) {
        pins.getLayers().slice(1).forEach(function (layer) { pins.removeLayer(layer); });
        pin(lat, lon, "B").getElement().textContent = "B";
      } else {
        pins.clearLayers();
        pin(lat, lon);
      }
      title.textContent = latLonText(lat, lon);
      actions.replaceChildren();
      body.replaceChildren(text("p", gettext("Reading the layers…"), { "class": "hint" }));
      open();
      keepInView(lat, lon);
      return ask(lat, lon).then(function (answer) {
        if (!answer) { return; }
        if (comparing && first && !answer.error) {
          comparing = false;
          showCompared(first.answer, answer);
          first = null;
        } else {
          showSingle(lat, lon, answer, heading);
        }
        keepInView(lat, lon);
      });
    }

    map.on("click", function (event) { at(event.latlng.lat, event.latlng.lng); });
    return { at: at, pin: function (lat, lon) { pins.clearLayers(); pin(lat, lon); },
      open: open, title: title, body: body, actions: actions, close: close };
  }

  /* One search box: places in every language and in Latin letters, borehole codes, monitored
     systems and coordinates. Choosing a result flies there and pins it. */
  function setUpSearch(map, card, openRegion) {
    var form = document.getElementById("map-search");
    var input = document.getElementById("search-input");
    var list = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    var results = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    function hideList() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function say(message) {
      status.hidden = !message;
      status.textContent = message || "";
    }
    function render() {
      list.replaceChildren();
      results.forEach(function (result, index) {
        var item = text("li", null, { role: "option", id: "search-result-" + index,
          "data-kind": result.kind, "aria-selected": String(index === active) });
        item.appendChild(text("span", result.label, { "class": "result-label" }));
        item.appendChild(text("span", result.detail, { "class": "result-detail" }));
        item.addEventListener("mousedown", function (event) { event.preventDefault(); });
        item.addEventListener("click", function () { choose(index); });
        list.appendChild(item);
      });
      list.hidden = !results.length;
      input.setAttribute("aria-expanded", String(!!results.length));
      if (active >= 0) { input.setAttribute("aria-activedescendant", "search-result-" + active); }
    }
    function lookup(query) {
      var ticket = ++asked;
      return getJSON(form.dataset.api + "?q=" + encodeURIComponent(query)).then(function (answer) {
        if (ticket !== asked) { return null; }
        if (answer.status !== 200) {
          results = [];
          hideList();
          say(answer.body.detail || gettext("The search failed."));
          return results;
        }
        results = answer.body.results;
        active = results.length ? 0 : -1;
        say(results.length ? "" : gettext("Nothing found."));
        render();
        return results;
      });
    }
    function choose(index) {
      var result = results[index];
      if (!result) { return; }
      hideList();
      input.value = result.label;
      say("");
      if (result.region) { openRegion(result.region); }
      if (result.bbox) {
        map.flyToBounds([[result.bbox[1], result.bbox[0]], [result.bbox[3], result.bbox[2]]],
          { maxZoom: result.kind === "region" ? 9 : 12, duration: 0.8 });
      } else {
        map.flyTo([result.lat, result.lon], Math.max(map.getZoom(), 13), { duration: 0.8 });
      }
      window.ghaSearchResult = result;
      if (result.kind === "region") {
        card.pin(result.lat, result.lon);
        return;
      }
      // The values there, as a click would give them, named after what was found.
      var done = false;
      var show = function () {
        if (done) { return; }
        done = true;
        card.at(result.lat, result.lon, result.label);
      };
      map.once("moveend", show);
      window.setTimeout(show, 1500);  // in case the map had nowhere to move
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      var query = input.value.trim();
      if (!query) { results = []; hideList(); say(""); return; }
      timer = window.setTimeout(function () { lookup(query); }, 250);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!results.length) { return; }
        event.preventDefault();
        active = (active + (event.key === "ArrowDown" ? 1 : -1) + results.length) % results.length;
        render();
      } else if (event.key === "Escape") {
        hideList();
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(hideList, 150); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.clearTimeout(timer);
      var query = input.value.trim();
      if (!query) { return; }
      var index = active >= 0 ? active : 0;
      // Enter before the list arrived: search now and take the best result.
      var ready = results.length && !list.hidden ? Promise.resolve(results) : lookup(query);
      ready.then(function (found) {
        if (found && found.length) { choose(found === results ? index : 0); }
      });
    });
  }

  function setUpDistricts(map) {
    var toggle = document.getElementById("show-districts");
    var outlines = null;
    toggle.addEventListener("change", function () {
      if (!toggle.checked) { if (outlines) { map.removeLayer(outlines); } return; }
      if (outlines) { outlines.addTo(map); return; }
      getJSON(toggle.dataset.api + "?page_size=200").then(function (answer) {
        outlines = L.geoJSON(answer.body, {
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
      getJSON(toggle.dataset.api).then(function (answer) {
        answer.body.features.forEach(function (feature) {
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
              "λ " + quantity(test.conductivity_w_per_m_k, pgettext("unit symbol", "W/(m·K)")) :
              test.transmissivity_m2_per_s !== undefined ?
              "T " + Number(test.transmissivity_m2_per_s).toExponential(2) + " m²/s" :
              "Q " + quantity(test.sustainable_rate_m3_per_s * 60000, pgettext("unit symbol", "L/min"));
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
      getJSON(toggle.dataset.api).then(function (answer) {
        answer.body.features.forEach(function (feature) {
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
      getJSON(toggle.dataset.api + "?zoom=" + zoom + "&in_bbox=" + bbox).then(function (answer) {
        markers.clearLayers();
        answer.body.features.forEach(function (feature) {
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
