// A new courier registers from the sign-in screen (POST /api/couriers/register): name, phone, vehicle, the equipment they
// claim and their documents' numbers. They then wait for an admin's review; going online says so until they are approved.
import { $, note, showError } from "../common/dom.js";

$("register-open").addEventListener("click", () => {
  $("register-form").hidden = false;
  $("register-open").hidden = true;
  $("reg-username").focus();
});

function documents() {
  const docs = [];
  const licence = $("reg-licence").value.trim();
  const coldBox = $("reg-coldbox").value.trim();
  if (licence) docs.push({ kind: "licence", reference: licence });
  if (coldBox) docs.push({ kind: "cold-box-certificate", reference: coldBox });
  return docs;
}

$("register-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  showError("register-error", "");
  const username = $("reg-username").value.trim();
  const body = {
    username,
    password: $("reg-password").value,
    name: $("reg-name").value.trim(),
    phone: $("reg-phone").value.trim(),
    vehicle: $("reg-vehicle").value,
    equipment: $("reg-equipment").value,
    documents: documents(),
  };
  $("register-button").disabled = true;
  try {
    const response = await fetch("/api/couriers/register", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
    });
    const answer = await response.json().catch(() => null);
    if (!response.ok) {
      const detail = answer && (answer.detail || (answer.errors && Object.values(answer.errors).flat()[0]) || answer.title);
      showError("register-error", detail || `The server answered ${response.status}.`);
      return;
    }
    $("register-form").hidden = true;
    $("reg-password").value = "";
    $("username-input").value = username;
    note(
      "register-note",
      `Registered as ${username}: waiting for review. An admin checks your documents; sign in here once you are approved.`,
    );
  } catch {
    showError("register-error", "Could not reach the server. Check your connection and try again.");
  } finally {
    $("register-button").disabled = false;
  }
});
