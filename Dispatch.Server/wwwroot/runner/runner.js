// Courier runner page (/runner/): signs in with a courier token, talks to /hubs/courier (JSON protocol), goes online,
// shows offers with a countdown, and walks the current job through arrived → picked up → (each stop of a multi-stop
// errand, "Done" in order) → delivered (with the PIN).
// Positions come from the phone's GPS, or in manual mode from a typed "lat, lon" (or ?lat=&lon= in the link); either
// way the last known position is sent with SendFixes every 2 seconds while online.
// Modules: state, ui, connection, duty (online/offline), offer, job, errand, position, render; sign-in and the hub
// connection are shared from /common.
import { signInForm } from "../common/signin.js";
import { claims } from "../common/token.js";
import { connect } from "./connection.js";
import { stopFixes, parsePosition, setMode, setPosition } from "./position.js";
import { renderCountdown } from "./offer.js";
import { render } from "./render.js";
import { state } from "./state.js";
import { showName } from "./ui.js";
import "./duty.js";
import "./errand.js";
import "./job.js";
import "./register.js";
import { $ } from "../common/dom.js";

const session = signInForm({
  session: state,
  storageKey: "dispatch.runner.token",
  missingToken: "Paste your courier token first.",
  demo: {
    url: "/dev/fleet",
    body: { count: 1, prefix: "demo" },
    token: (fleet) => fleet[0].token,
    unavailable: "Demo couriers are only available on a development server.",
    failed: (message) => `Could not create a demo courier (${message}).`,
  },
  onSignIn: (token) => {
    // The token's "name" claim names the courier before the first GoOnline answers.
    showName(claims(token)?.name || "");
    connect(session.signOut);
  },
  onSignOut: async () => {
    state.wantOnline = false;
    stopFixes();
    const connection = state.connection;
    state.connection = null;
    if (connection) await connection.stop().catch(() => {});
    state.online = false;
    state.offer = null;
    state.jobs = [];
    render();
  },
});

const query = new URLSearchParams(location.search);
const startAt = parsePosition(`${query.get("lat") || ""},${query.get("lon") || ""}`);
if (startAt) {
  setMode("manual");
  $("manual-position").value = `${startAt.lat}, ${startAt.lon}`;
  setPosition({ ...startAt, accuracy: 5, speed: 0, heading: 0 }, "manual");
} else {
  setMode(query.get("mode") === "manual" ? "manual" : "gps");
}

setInterval(() => {
  if (state.offer) renderCountdown();
}, 250);
render();
session.resume();
