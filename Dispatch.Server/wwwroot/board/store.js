// The board's constants and its store. `board` (couriers, open orders, alerts, key figures) is exposed as window.board
// for tests and the console; `state` holds the page's own bits (token, connection, map layers, what is selected).

export const STALE_MS = 90_000;
export const STALE_CHECK_MS = 3000;
export const MAX_LISTED = 300; // orders rendered in the list; the map shows all
export const SEARCH_PAGE = 100; // search results per page; "More" loads the next
export const COLOURS = { idle: "#16a34a", toPickup: "#d97706", carrying: "#0e7490", offline: "#94a3b8", stale: "#94a3b8" };
export const ORDER_COLOURS = { unassigned: "#e11d48", assigned: "#d97706", carrying: "#0e7490" };
export const ACTIVITY_LABELS = { idle: "Idle", toPickup: "To pickup", carrying: "Carrying", offline: "Offline" };
export const STATUS_LABELS = {
  placed: "Placed",
  paid: "Paid",
  dispatching: "Dispatching",
  offered: "Finding a courier",
  accepted: "Accepted",
  arrivedAtPickup: "At pickup",
  pickedUp: "Picked up",
  inTransit: "In transit",
  arrivedAtDropoff: "At drop-off",
  delivered: "Delivered",
  cancelled: "Cancelled",
  failed: "Failed",
  unassigned: "Unassigned",
};
export const UNASSIGNED = ["paid", "dispatching", "offered"];
export const ASSIGNED = ["accepted", "arrivedAtPickup"];
export const CARRYING = ["pickedUp", "inTransit", "arrivedAtDropoff"];
export const ASSIGNABLE = [...UNASSIGNED, ...ASSIGNED];
export const CANCELLABLE = ["placed", ...UNASSIGNED, ...ASSIGNED];

export const GUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
export const ORDER_NO = /^d?-?\d{1,9}$/i;

// The page's store, exposed for tests and the console: couriers (id → { lat, lon, at, activity, activeOrders, name, stale }),
// open orders (id → BoardOrder), the alert list (newest first) and the key figures.
export const board = { couriers: new Map(), orders: new Map(), alerts: [], kpis: null, zone: null, frames: 0 };
window.board = board;

export const state = {
  token: "",
  connection: null,
  map: null,
  renderer: null,
  zones: [],
  markers: new Map(),
  orderMarkers: new Map(),
  selection: null,
  selectedOrder: null,
  selectedCourier: null,
  searchResults: null,
  orderRefresh: 0,
};
