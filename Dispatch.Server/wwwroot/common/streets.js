// The served zones' streets, drawn under everything else from the server's vector tiles (GET /api/tiles/{z}/{x}/{y}.mvt,
// cut from the road network in PostGIS): no tile server needed. Each tile is a canvas; street names from zoom 16.
// Every tile canvas says what it drew (data-features, data-labels) for the browser tests.
import { readTile } from "./mvt.js";

const MIN_ZOOM = 12; // the server's tiles are empty below this
const MAX_NATIVE_ZOOM = 20;
const LABEL_ZOOM = 16;

// Casing then fill, drawn in this order so major roads sit on top of minor ones and paths.
const STYLES = {
  path: { casing: null, fill: "#b6c2d1", width: (z) => (z >= 17 ? 1.5 : 1), dash: [3, 3] },
  minor: { casing: "#cfd8e3", fill: "#ffffff", width: (z) => Math.max(1.5, (z - 12) * 1.6) },
  major: { casing: "#e0b25c", fill: "#fde7b0", width: (z) => Math.max(2.5, (z - 11) * 1.9) },
};
const ORDER = ["path", "minor", "major"];

export function addStreets(map) {
  map.createPane("streets").style.zIndex = 150; // under an optional raster layer (200) and the zones (250)
  const layer = L.gridLayer({ pane: "streets", minZoom: MIN_ZOOM, maxNativeZoom: MAX_NATIVE_ZOOM, maxZoom: 22, className: "streets" });
  layer.createTile = (coords, done) => {
    const canvas = document.createElement("canvas");
    canvas.className = "street-tile";
    const size = layer.getTileSize();
    const ratio = window.devicePixelRatio || 1;
    canvas.width = size.x * ratio;
    canvas.height = size.y * ratio;
    fetch(`/api/tiles/${coords.z}/${coords.x}/${coords.y}.mvt`)
      .then((response) => {
        if (!response.ok) throw new Error(`street tile ${coords.z}/${coords.x}/${coords.y}: ${response.status}`);
        return response.arrayBuffer();
      })
      .then((buffer) => {
        const streets = readTile(buffer).streets;
        const ctx = canvas.getContext("2d");
        ctx.scale((ratio * size.x) / (streets ? streets.extent : 4096), (ratio * size.y) / (streets ? streets.extent : 4096));
        const features = streets ? streets.features : [];
        const unit = (streets ? streets.extent : 4096) / size.x; // tile units per CSS pixel
        draw(ctx, features, coords.z, unit);
        canvas.dataset.features = String(features.length);
        canvas.dataset.labels = String(coords.z >= LABEL_ZOOM ? label(ctx, features, unit, streets ? streets.extent : 4096) : 0);
        done(null, canvas);
      })
      .catch((error) => done(error, canvas)); // a missing tile leaves that square plain; the map still works
    return canvas;
  };
  return layer.addTo(map);
}

function draw(ctx, features, zoom, unit) {
  ctx.lineCap = "round";
  ctx.lineJoin = "round";
  for (const pass of ["casing", "fill"]) {
    for (const kind of ORDER) {
      const style = STYLES[kind];
      const colour = style[pass];
      if (!colour) continue;
      ctx.strokeStyle = colour;
      ctx.lineWidth = (style.width(zoom) + (pass === "casing" ? 2 : 0)) * unit;
      ctx.setLineDash(style.dash ? style.dash.map((d) => d * unit) : []);
      ctx.beginPath();
      for (const feature of features) {
        if (feature.properties.class !== kind) continue;
        for (const ring of feature.rings) {
          ctx.moveTo(ring[0][0], ring[0][1]);
          for (let i = 1; i < ring.length; i++) ctx.lineTo(ring[i][0], ring[i][1]);
        }
      }
      ctx.stroke();
    }
  }
  ctx.setLineDash([]);
}

// One label per street name per tile, on the street's longest segment that holds it and has its middle in the tile.
function label(ctx, features, unit, extent) {
  ctx.font = `600 ${11 * unit}px system-ui, sans-serif`;
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  ctx.lineWidth = 3 * unit;
  ctx.strokeStyle = "rgba(255,255,255,0.9)";
  ctx.fillStyle = "#475569";
  const done = new Set();
  for (const feature of features) {
    const name = feature.properties.name;
    if (!name || done.has(name) || feature.properties.class === "path") continue;
    const width = ctx.measureText(name).width + 8 * unit;
    const best = longestSegment(feature.rings, extent);
    if (!best || best.length < width) continue;
    done.add(name);
    ctx.save();
    ctx.translate(best.x, best.y);
    ctx.rotate(best.angle);
    ctx.strokeText(name, 0, 0);
    ctx.fillText(name, 0, 0);
    ctx.restore();
  }
  return done.size;
}

function longestSegment(rings, extent) {
  let best = null;
  for (const ring of rings) {
    for (let i = 1; i < ring.length; i++) {
      const [ax, ay] = ring[i - 1];
      const [bx, by] = ring[i];
      const length = Math.hypot(bx - ax, by - ay);
      const x = (ax + bx) / 2;
      const y = (ay + by) / 2;
      if (x < 0 || y < 0 || x > extent || y > extent || (best && best.length >= length)) continue;
      let angle = Math.atan2(by - ay, bx - ax);
      if (angle > Math.PI / 2) angle -= Math.PI;
      if (angle < -Math.PI / 2) angle += Math.PI; // text never upside down
      best = { length, x, y, angle };
    }
  }
  return best;
}
