// The boundary being drawn on the zone editor's map: each click adds a corner, "Undo" drops the last one. It goes to the
// server as WKT, POLYGON((lon lat, ...)) with the ring closed, longitude first as in configuration.
export function zoneDraft(map, onChange) {
  const corners = [];
  const shape = L.polygon([], { className: "zone-draft", weight: 2, dashArray: "4 4", interactive: false }).addTo(map);
  const changed = () => {
    shape.setLatLngs(corners);
    onChange(corners.length);
  };
  map.on("click", (e) => {
    corners.push(e.latlng);
    changed();
  });
  return {
    // A served zone's boundary ([lat, lon] pairs, closed) to move; its closing corner is implied.
    load(boundary) {
      const open = boundary.length > 1 && boundary[0].join() === boundary[boundary.length - 1].join() ? boundary.slice(0, -1) : boundary;
      corners.splice(0, corners.length, ...open.map(([lat, lon]) => L.latLng(lat, lon)));
      changed();
    },
    undo() {
      corners.pop();
      changed();
    },
    clear() {
      corners.length = 0;
      changed();
    },
    wkt() {
      const ring = [...corners, corners[0]].map((c) => `${c.lng} ${c.lat}`);
      return `POLYGON((${ring.join(", ")}))`;
    },
  };
}
