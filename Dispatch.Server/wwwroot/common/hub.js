// The SignalR side every page shares: the server's HubException text, the reconnect back-off, the connection chip, and
// for the signed-in pages (board, runner) a connection that sends the token and stops retrying once it has expired.
import { $ } from "./dom.js";
import { expired } from "./token.js";

// The server's HubException text arrives after "HubException: " in the error message.
export function serverMessage(error) {
  const text = String((error && error.message) || error || "");
  const at = text.indexOf("HubException: ");
  return at >= 0 ? text.slice(at + "HubException: ".length) : null;
}

// Automatic reconnects: 0 s, 1 s, 2 s, 4 s, … then every 10 s.
export function retryDelay(previousRetryCount) {
  return Math.min(10000, previousRetryCount === 0 ? 0 : 1000 * Math.pow(2, previousRetryCount - 1));
}

// The "Live / Reconnecting…" chip (#connection): its data-connection state and its text.
export function setConnection(kind, text) {
  const chip = $("connection");
  chip.dataset.connection = kind;
  chip.lastElementChild.textContent = text;
}

// "forbidden" or "unauthorized" when a hub start was refused for the token, else null.
export function refusal(error) {
  const text = String((error && error.message) || error);
  if (/403|Forbidden/i.test(text)) return "forbidden";
  if (/401|Unauthorized/i.test(text)) return "unauthorized";
  return null;
}

// A hub connection for a signed-in page. `session.token` goes with every (re)connect; an expired token is not retried:
// the connection closes and `onExpired` says so instead of reconnecting in a loop. Otherwise a closed connection shows
// "Reconnecting…" and `start` runs again after 5 s. Only the page's current connection (`isCurrent`) acts.
export function signedInConnection({ url, session, isCurrent, start, onReconnected, onExpired, onLost }) {
  const connection = new signalR.HubConnectionBuilder()
    .withUrl(url, { accessTokenFactory: () => session.token })
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (ctx) => (expired(session.token) ? null : retryDelay(ctx.previousRetryCount)) })
    .configureLogging(signalR.LogLevel.None)
    .build();
  connection.onreconnecting(() => setConnection("reconnecting", "Reconnecting…"));
  connection.onreconnected(() => onReconnected(connection));
  connection.onclose(() => {
    if (!isCurrent(connection)) return;
    if (expired(session.token)) {
      onExpired();
      return;
    }
    if (onLost) onLost();
    setConnection("reconnecting", "Reconnecting…");
    setTimeout(() => start(connection), 5000);
  });
  return connection;
}
