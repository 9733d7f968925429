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
  };
})();
