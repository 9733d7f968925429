/* Starts the maps of django-leaflet's {% leaflet_map %} tag from data- attributes (see
   templates/leaflet/_leaflet_map.html), as the tag's own inline script did: same options, same
   load events, same callback, same globals. Loaded once per map tag; each map starts once. */
(function () {
  "use strict";

  function resolve(path) {  // "window.ghaInitMap" or "ghaInitMap" → the function, or null
    if (!path) { return null; }
    var target = window;
    path.replace(/^window\./, "").split(".").forEach(function (part) {
      target = target === undefined || target === null ? undefined : target[part];
    });
    return typeof target === "function" ? target : null;
  }

  document.querySelectorAll("[data-leaflet-map]:not([data-leaflet-started])").forEach(
    function (el) {
      el.setAttribute("data-leaflet-started", "");
      var name = el.getAttribute("data-leaflet-map");
      var globals = el.getAttribute("data-globals") === "true";
      var loadevents = JSON.parse(el.getAttribute("data-loadevents") || "[]");

      function loadmap() {
        var options = {
          djoptions: JSON.parse(el.getAttribute("data-djoptions")),
          initfunc: loadmap,
          globals: globals,
          callback: resolve(el.getAttribute("data-callback")),
        };
        var map = L.Map.djangoMap(name, options);
        if (globals) { window["leafletmap" + name] = map; }
      }

      if (loadevents.length === 0) { loadmap(); }
      else {
        loadevents.forEach(function (event) { window.addEventListener(event, loadmap, false); });
      }
      if (globals) { window["loadmap" + name] = loadmap; }
    });
})();
