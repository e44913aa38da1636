// The board's hub connection (/hubs/control, JSON protocol): Watch the zone for a snapshot, then apply its frames.
// A refused token signs the board out with the reason; anything else is retried.
import { $ } from "../common/dom.js";
import { refusal, serverMessage, setConnection, signedInConnection } from "../common/hub.js";
import { roleOf } from "../common/token.js";
import { apply } from "./frames.js";
import { loadZones } from "./map.js";
import { removeCourier } from "./markers.js";
import { board, state } from "./store.js";

const HUB = "/hubs/control";
let signOut = async () => {};

// `signOutPage(message)` is the sign-in's: it stops the connection, clears the board and shows the message.
export function connect(signOutPage) {
  signOut = signOutPage;
  const connection = signedInConnection({
    url: HUB,
    session: state,
    isCurrent: (c) => state.connection === c,
    start,
    onReconnected: (c) => watch(c).catch(() => {}),
    onExpired: () => signOut("Your session has expired (the token ran out); sign in again."),
  });
  state.connection = connection;
  connection.on("Frame", (frame) => {
    if (state.connection === connection && frame.zone === board.zone) apply(frame);
  });
  // Frames may have been lost (Redis came back after an outage): the whole zone again, as on open.
  connection.on("Refresh", () => {
    if (state.connection === connection) watch(connection).catch(() => {});
  });
  start(connection);
}

// Watch answers the whole zone; it replaces what the store had (couriers and orders that left are dropped).
async function watch(connection) {
  const snapshot = await connection.invoke("Watch", board.zone);
  if (state.connection !== connection) return;
  const seen = new Set(snapshot.couriers.map((c) => c.courierId));
  for (const id of [...board.couriers.keys()]) if (!seen.has(id)) removeCourier(id);
  apply(snapshot, true);
  setConnection("live", "Live");
  document.body.dataset.watching = board.zone;
}

async function start(connection) {
  if (state.connection !== connection) return;
  try {
    if (!board.zone) {
      board.zone = await loadZones();
      $("zone-name").textContent = `Zone: ${board.zone}`;
    }
    if (connection.state === signalR.HubConnectionState.Disconnected) await connection.start();
    await watch(connection);
  } catch (error) {
    if (state.connection !== connection) return;
    const refused = refusal(error);
    if (refused === "forbidden") {
      const role = roleOf(state.token);
      await signOut(
        role
          ? `This token is for a ${role}, not a dispatcher: the board needs a dispatcher or admin token.`
          : "This token may not open the board: it needs the dispatcher or admin role.",
      );
      return;
    }
    if (refused === "unauthorized") {
      await signOut("That token was not accepted (expired or not issued here). Ask for a new dispatcher token.");
      return;
    }
    const hub = serverMessage(error);
    setConnection("reconnecting", hub || "Can't reach the server…");
    if (connection.state === signalR.HubConnectionState.Disconnected) setTimeout(() => start(connection), 3000);
    else if (hub) setTimeout(() => start(connection), 5000);
  }
}
