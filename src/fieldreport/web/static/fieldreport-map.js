// The timeline page's map: one marker per place with its event count, clustered.
// Popups are built with DOM text nodes: place names come from the data, never as HTML.
// Leaflet and Leaflet.markercluster come from datasette-leaflet and datasette-cluster-map
// as ES modules that also set the global L (as datasette-cluster-map loads them).
const cfg = window.FIELDREPORT_MAP;
if (cfg) {
  await import(cfg.leafletUrl);
  await import(cfg.clusterUrl);
}
(function () {
  const el = document.getElementById("fr-map");
  if (!cfg || !el || typeof L === "undefined") return;
  const map = L.map(el, { worldCopyJump: true });
  L.tileLayer(cfg.tileUrl, { maxZoom: 18, attribution: cfg.attribution }).addTo(map);
  const sumCounts = (cluster) => cluster.getAllChildMarkers().reduce((n, m) => n + m.options.count, 0);
  const group = L.markerClusterGroup({
    maxClusterRadius: 50,
    iconCreateFunction: (cluster) => {
      const n = sumCounts(cluster);
      const size = n < 10 ? "small" : n < 100 ? "medium" : "large";
      return L.divIcon({ html: "<div><span>" + n + "</span></div>", className: "marker-cluster marker-cluster-" + size, iconSize: L.point(40, 40) });
    },
  });
  const markers = cfg.points.map((p) => {
    const marker = L.marker([p.lat, p.lon], {
      count: p.count,
      icon: L.divIcon({ html: "<div><span>" + p.count + "</span></div>", className: "marker-cluster marker-cluster-small fr-place-marker", iconSize: L.point(32, 32) }),
    });
    const box = document.createElement("div");
    const title = document.createElement("strong");
    title.textContent = (p.location || "?") + (p.country ? ", " + p.country : "");
    box.appendChild(title);
    box.appendChild(document.createElement("br"));
    const link = document.createElement("a");
    const sep = cfg.tableUrl.indexOf("?") > -1 ? "&" : "?";
    link.href = cfg.tableUrl + sep + "location=" + encodeURIComponent(p.location || "");
    link.textContent = p.count + " event" + (p.count === 1 ? "" : "s");
    box.appendChild(link);
    marker.bindPopup(box);
    return marker;
  });
  group.addLayers(markers);
  map.addLayer(group);
  if (markers.length) {
    map.fitBounds(group.getBounds(), { maxZoom: 8, padding: [20, 20] });
  } else {
    map.setView([20, 20], 2);
  }
  el.dataset.ready = "1";
})();
