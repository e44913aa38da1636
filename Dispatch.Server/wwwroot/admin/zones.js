// The zone editor: the served zones on a map over the streets (common/map.js), a zone picked to move its boundary or a
// new name, corners clicked on the map, then saved (PUT /api/zones/{name}); the server refuses overlaps and says why.
import { $, el, note, showError } from "../common/dom.js";
import { createMap, drawZones } from "../common/map.js";
import { api, guarded } from "./api.js";
import { zoneDraft } from "./zone-draft.js";

const MIN_CORNERS = 3;
let editor = null; // { map, served (layer group), draft }, made when the tab first opens (Leaflet needs a visible box)
let zones = [];

function ensureEditor() {
  if (editor) {
    editor.map.invalidateSize();
    return;
  }
  const map = createMap("zone-map");
  map.doubleClickZoom.disable(); // quick clicks place corners, never zoom
  const served = L.layerGroup().addTo(map);
  const draft = zoneDraft(map, (count) => {
    $("zone-corners").textContent = `${count} corner${count === 1 ? "" : "s"}`;
    $("zone-save").disabled = count < MIN_CORNERS;
  });
  editor = { map, served, draft };
  window.zoneEditor = editor; // for the browser tests and the console
}

export async function loadZones() {
  ensureEditor();
  await guarded("zones-error", showError, async () => {
    zones = await api("GET", "/api/zones");
    editor.served.clearLayers();
    drawZones(editor.served, zones);
    const picked = $("zone-pick").value;
    $("zone-pick").replaceChildren(el("option", null, "New zone…"), ...zones.map((z) => el("option", null, z.name)));
    $("zone-pick").options[0].value = "";
    $("zone-pick").value = zones.some((z) => z.name === picked) ? picked : "";
    if (zones.length)
      editor.map.fitBounds(L.latLngBounds(zones.flatMap((z) => z.boundary)).pad(0.2)); // room to draw alongside
    else editor.map.setView([43.7384, 7.4246], 13);
  });
}

$("zone-pick").addEventListener("change", () => {
  const zone = zones.find((z) => z.name === $("zone-pick").value);
  $("zone-name").value = zone ? zone.name : "";
  $("zone-name").readOnly = Boolean(zone);
  if (zone) editor.draft.load(zone.boundary);
  else editor.draft.clear();
});

$("zone-undo").addEventListener("click", () => editor.draft.undo());
$("zone-clear").addEventListener("click", () => editor.draft.clear());

$("zone-form").addEventListener("submit", (e) => {
  e.preventDefault();
  $("zone-saved").hidden = true;
  const name = $("zone-name").value.trim();
  if (!name) {
    showError("zones-error", "Name the zone first (a lower-case letter, then lower-case letters, digits or '_').");
    return;
  }
  guarded("zones-error", showError, async () => {
    await api("PUT", `/api/zones/${encodeURIComponent(name)}`, { boundary: editor.draft.wkt() });
    note("zone-saved", `Zone ${name} saved.`);
    $("zone-pick").value = name;
    await loadZones();
    $("zone-pick").dispatchEvent(new Event("change")); // shows the boundary as the server keeps it
  });
});
