// Going online (GoOnline with the shift's equipment, vehicle, capacity and end) and offline; today's earnings.
import { $, showError } from "../common/dom.js";
import { refreshBalance } from "./balance.js";
import { startFixes, stopFixes } from "./position.js";
import { render } from "./render.js";
import { ACTIVE, state } from "./state.js";
import { act, explain, selected, showName, toast } from "./ui.js";

export async function goOnline() {
  const session = await state.connection.invoke("GoOnline", state.shift);
  state.online = true;
  showName(session.name);
  state.jobs = (session.activeJobs || []).filter((j) => ACTIVE.includes(j.status));
  startFixes();
  render();
  // Claimed more than an admin verified: dispatch uses what was verified, and the courier should know.
  if (session.notice) toast(session.notice, "warn");
  refreshEarnings();
}

// Today's deliveries and fees come from the server (the fee is fixed on each order at delivery).
export async function refreshEarnings() {
  if (!state.connection || state.connection.state !== signalR.HubConnectionState.Connected) return;
  try {
    const today = await state.connection.invoke("TodaysEarnings");
    state.delivered = today.delivered;
    state.earnings = today;
    render();
    refreshBalance();
  } catch {
    // Not essential: the figures refresh after the next delivery or reconnect.
  }
}

// "18:30" → the next 18:30 from now (tomorrow if it has passed), as an ISO instant; empty → no shift end.
export function shiftEnd(value) {
  if (!value) return null;
  const [hours, minutes] = value.split(":").map(Number);
  const end = new Date();
  end.setHours(hours, minutes, 0, 0);
  if (end <= new Date()) end.setDate(end.getDate() + 1);
  return end.toISOString();
}

$("go-online").addEventListener("click", async () => {
  if (state.busy) return;
  showError("shift-error", "");
  state.shift = {
    equipment: selected("equipment"),
    vehicle: selected("vehicle"),
    capacity: Number($("capacity").value),
    shiftEndsAt: shiftEnd($("shift-end").value),
  };
  state.wantOnline = true;
  await act($("go-online"), async () => {
    try {
      await goOnline();
    } catch (error) {
      state.wantOnline = false;
      showError("shift-error", explain(error, "Could not go online. Check your connection and try again."));
    }
  });
});

$("go-offline").addEventListener("click", async () => {
  if (state.jobs.length > 0 && !confirm("You still have a job. Go offline anyway?")) return;
  await act($("go-offline"), async () => {
    try {
      await state.connection.invoke("GoOffline");
      state.wantOnline = false;
      state.online = false;
      state.offer = null;
      stopFixes();
      render();
    } catch (error) {
      toast(explain(error, "Could not go offline."), "error");
    }
  });
});
