// The runner's constants and state: the courier's duty, the open offer, the jobs in hand (the first is the current one)
// and the position.

export const FIX_INTERVAL_MS = 2000;
export const STEP_LABELS = {
  accepted: "Go to pickup",
  arrivedAtPickup: "At pickup",
  pickedUp: "Delivering",
  inTransit: "Delivering",
  arrivedAtDropoff: "At drop-off",
};
export const CARRYING = ["pickedUp", "inTransit", "arrivedAtDropoff"];
export const ACTIVE = ["accepted", "arrivedAtPickup", ...CARRYING];

export const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

export const state = {
  token: "",
  connection: null,
  online: false,
  wantOnline: false, // the courier asked to be online; a reconnect goes online again
  shift: null, // the last GoOnline request
  offer: null, // the open OfferMessage
  jobs: [], // ActiveJob[], the first is the current one
  delivered: 0,
  earnings: null, // EarningsSummary of today
  position: null, // { lat, lon, accuracy, speed, heading }
  mode: "gps",
  watchId: null,
  lastFixTime: 0,
  fixTimer: null,
  sending: false,
  busy: false,
};

export const STOP_ACTIONS = { pickup: "Collect", dropoff: "Drop off" };

export function currentJob() {
  return state.jobs[0] || null;
}
