// The tracking page's constants and state: the order's snapshot and status, the courier's last position, the road
// route, the ETA, the map's layers and the hub connection with the link's token.

export const ANIMATION_MAX_MS = 2000; // a marker glides to each new fix over at most this long
export const COARSE_RADIUS_METRES = 300; // the server's coarse grid before pickup
export const FIT_MAX_ZOOM = 15; // close enough for the street, far enough to see the neighbourhood

// The server sends the customer's timeline (CustomerView): steps, times and customer wording only. The page shows
// the main steps in order; a status pushed live is turned into its step here.
export const STEPS = [
  { key: "placed", label: "Order placed", steps: ["placed"] },
  { key: "paid", label: "Payment confirmed", steps: ["paid"] },
  { key: "finding", label: "Finding a courier", steps: ["findingCourier"], minor: true },
  { key: "accepted", label: "Courier assigned", steps: ["courierAssigned"] },
  { key: "atPickup", label: "Courier at the pickup", steps: ["atPickup"], minor: true },
  { key: "pickedUp", label: "Picked up", steps: ["pickedUp"] },
  { key: "inTransit", label: "On the way", steps: ["onTheWay"], minor: true },
  { key: "arriving", label: "Arriving", steps: ["arriving", "atDropoff"], minor: true },
  { key: "delivered", label: "Delivered", steps: ["delivered"] },
];
export const TERMINAL = { cancelled: "Order cancelled", failed: "Delivery failed" };
export const STATUS_STEP = {
  placed: "placed",
  paid: "paid",
  dispatching: "findingCourier",
  offered: "findingCourier",
  accepted: "courierAssigned",
  arrivedAtPickup: "atPickup",
  pickedUp: "pickedUp",
  inTransit: "onTheWay",
  arrivedAtDropoff: "atDropoff",
  delivered: "delivered",
  cancelled: "cancelled",
  failed: "failed",
};
export const ASSIGNED = ["accepted", "arrivedAtPickup", "pickedUp", "inTransit", "arrivedAtDropoff"];
export const CARRYING = ["pickedUp", "inTransit", "arrivedAtDropoff"];

export const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
export const dayClock = new Intl.DateTimeFormat(undefined, { weekday: "short", hour: "2-digit", minute: "2-digit" });

export const state = {
  snapshot: null,
  status: null,
  timeline: [],
  courier: null, // last CourierPosition
  route: null, // last RouteMessage (road route), if the server planned one
  routeIndex: 0, // how far along route.path the courier has come
  etaDeadline: null, // ms since epoch when the ETA reaches zero
  map: null,
  layers: {},
  fitted: false,
  failed: false,
  buyForMe: null, // BuyForMeView of a buy-for-me errand, else null
  rating: null, // RatingView once the customer rated
  stars: 0, // stars picked in the rating form
  busy: false,
  token: "", // the link's tracking token, the only credential
  connection: null, // the /hubs/tracking connection
};

export const STOP_ACTIONS = { pickup: "Collect", dropoff: "Drop off" };
