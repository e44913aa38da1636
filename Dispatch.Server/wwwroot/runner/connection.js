// The runner's hub connection (/hubs/courier, JSON protocol): what the server pushes (offers, withdrawals, cancellations,
// jobs a dispatcher assigned, receipt decisions, planned routes, reassignments, earnings changes, a suspension, the jobs in hand
// after a Redis outage) and going online again after a reconnect.
import { refusal, setConnection, signedInConnection } from "../common/hub.js";
import { $, showError } from "../common/dom.js";
import { money } from "../common/format.js";
import { showBalance } from "./balance.js";
import { goOnline } from "./duty.js";
import { stopFixes } from "./position.js";
import { render } from "./render.js";
import { ACTIVE, state } from "./state.js";
import { toast } from "./ui.js";

const HUB = "/hubs/courier";
let signOut = async () => {};

// `signOutPage(message)` is the sign-in's: it goes offline locally, stops the connection and shows the message.
export function connect(signOutPage) {
  signOut = signOutPage;
  const connection = signedInConnection({
    url: HUB,
    session: state,
    isCurrent: (c) => state.connection === c,
    start,
    onReconnected: async () => {
      setConnection("live", "Connected");
      if (state.wantOnline) await goOnline().catch(() => {});
    },
    onExpired: () => signOut("Your token has expired. Ask your dispatcher for a new one and sign in again."),
    onLost: () => {
      state.online = false;
      render();
    },
  });
  state.connection = connection;

  connection.on("OfferReceived", (offer) => {
    state.offer = offer;
    $("decline-panel").hidden = true;
    $("offer-actions").hidden = false;
    showError("offer-error", "");
    if (navigator.vibrate) navigator.vibrate([200, 100, 200]);
    render();
  });
  connection.on("OfferWithdrawn", (message) => {
    if (!state.offer) return;
    // One order left a bundle offer (cancelled): the rest is still offered, as one card.
    const bundle = state.offer.bundle;
    if (bundle && state.offer.offerId !== message.offerId && bundle.some((m) => m.offerId === message.offerId)) {
      leaveBundle((m) => m.offerId !== message.offerId, message.reason);
      return;
    }
    if (state.offer.offerId !== message.offerId) return;
    state.offer = null;
    toast(`Offer withdrawn: ${message.reason}`, "warn");
    render();
  });
  connection.on("OrderCancelled", (message) => {
    const job = state.jobs.find((j) => j.orderId === message.orderId);
    state.jobs = state.jobs.filter((j) => j.orderId !== message.orderId);
    if (state.offer && state.offer.bundle) leaveBundle((m) => m.orderId !== message.orderId, message.reason);
    else if (state.offer && state.offer.orderId === message.orderId) state.offer = null;
    toast(
      `Order ${job ? job.orderNumber : ""} was ${message.failed ? "marked failed by the dispatcher" : "cancelled"}: ${message.reason}`,
      "warn",
    );
    render();
  });
  // A dispatcher gave this courier an order: it is theirs at once, after the jobs already in hand.
  connection.on("JobAssigned", (message) => {
    const job = message.job;
    if (state.offer && state.offer.bundle) leaveBundle((m) => m.orderId !== job.orderId, "");
    else if (state.offer && state.offer.orderId === job.orderId) state.offer = null;
    state.jobs = [...state.jobs.filter((j) => j.orderId !== job.orderId), job];
    if (navigator.vibrate) navigator.vibrate([200, 100, 200]);
    toast(`New job ${job.orderNumber} from the dispatcher${message.reason ? `: ${message.reason}` : "."}`, "info");
    render();
  });
  // The customer decided on an over-cap receipt: approved → deliver; rejected → return the extra and send a new receipt.
  connection.on("ReceiptDecided", (change) => {
    const job = state.jobs.find((j) => j.orderId === change.orderId);
    if (!job) return;
    job.buyForMe = change.buyForMe;
    const amount = money(change.buyForMe.receiptCents, change.buyForMe.currency);
    if (change.buyForMe.receipt === "approved") toast(`The customer approved ${amount} for order ${change.orderNumber}`, "success");
    else toast(`The customer rejected ${amount} for order ${change.orderNumber}`, "warn");
    if (navigator.vibrate) navigator.vibrate([120, 80, 120]);
    render();
  });
  // The planned road route of a job (on accept, after a re-route): its length and drive time are shown on the job.
  connection.on("RouteAssigned", (route) => {
    const job = state.jobs.find((j) => j.orderId === route.orderId);
    if (!job || (job.route && job.route.version > route.version)) return;
    job.route = route;
    render();
  });
  // A dispatcher moved one of this courier's orders to someone else: drop it.
  connection.on("OrderReassigned", (message) => {
    state.jobs = state.jobs.filter((j) => j.orderId !== message.orderId);
    toast(`A dispatcher moved order ${message.orderNumber} to another courier${message.reason ? `: ${message.reason}` : "."}`, "warn");
    render();
  });
  // After a Redis outage, when a cancel or a reassignment may have been pushed to nobody: every job the courier holds now.
  // Jobs not in it are dropped; an open offer is dropped too (the server pushes the still pending ones right after).
  connection.on("JobsInHand", (message) => {
    const held = (message.jobs || []).filter((j) => ACTIVE.includes(j.status));
    const gone = state.jobs.filter((j) => !held.some((h) => h.orderId === j.orderId));
    const added = held.filter((h) => !state.jobs.some((j) => j.orderId === h.orderId));
    // Kept jobs keep what this page learned of them (their route); the server's copy brings their status.
    state.jobs = held.map((h) => ({ ...state.jobs.find((j) => j.orderId === h.orderId), ...h }));
    state.offer = null;
    if (gone.length > 0) toast(`No longer yours: order ${gone.map((j) => j.orderNumber).join(", ")}`, "warn");
    if (added.length > 0) toast(`New job ${added.map((j) => j.orderNumber).join(", ")} from the dispatcher.`, "info");
    render();
  });
  // The courier's money moved (a delivery, an adjustment, a withdrawal step): the balance after it.
  connection.on("EarningsChanged", (message) => {
    showBalance(message.balance);
    if (message.reason === "withdrawal-approved") toast("Your withdrawal was approved and paid out", "success");
    else if (message.reason === "withdrawal-rejected")
      toast("Your withdrawal was rejected; the amount is back in your settled balance", "warn");
  });
  // An admin suspended this courier: the server closes the connection next; do not go online again on reconnect.
  connection.on("SessionEnded", (message) => {
    state.wantOnline = false;
    state.online = false;
    state.offer = null;
    stopFixes();
    toast(message.reason, "warn");
    render();
  });
  start(connection);
}

async function start(connection) {
  if (state.connection !== connection) return;
  try {
    if (connection.state === signalR.HubConnectionState.Disconnected) await connection.start();
    setConnection("live", "Connected");
    if (state.wantOnline) await goOnline();
  } catch (error) {
    if (state.connection !== connection) return;
    if (refusal(error)) {
      await signOut("That token was not accepted. Ask your dispatcher for a new one.");
      return;
    }
    setConnection("reconnecting", "Can't reach the server…");
    if (connection.state === signalR.HubConnectionState.Disconnected) setTimeout(() => start(connection), 3000);
  }
}

// Keeps the members of the open bundle offer that pass `keep`: the card shows what accepting still gives; none left, no offer.
function leaveBundle(keep, reason) {
  const rest = state.offer.bundle.filter(keep);
  if (rest.length === state.offer.bundle.length) return;
  const gone = state.offer.bundle
    .filter((m) => !keep(m))
    .map((m) => m.orderNumber)
    .join(", ");
  state.offer = rest.length === 0 ? null : { ...state.offer, ...rest[0], offerId: state.offer.offerId, bundle: rest };
  if (reason) toast(`Order ${gone} left the offer: ${reason}`, "warn");
  render();
}
