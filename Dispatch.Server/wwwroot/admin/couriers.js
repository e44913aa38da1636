// The courier review queue: each registered courier with their documents and claimed equipment; approve with the
// equipment actually verified and a capacity, reject with a reason, suspend or reinstate.
import { $, el, note, showError } from "../common/dom.js";
import { api, apiAnswer, evictionNote, guarded, when } from "./api.js";
import { newestOnly } from "../common/newest.js";

const EQUIPMENT = [
  ["none", "None"],
  ["insulatedBox", "Insulated box"],
  ["activeCooler", "Active cooler"],
];

function equipmentName(value) {
  return (EQUIPMENT.find(([v]) => v === value) || [value, value])[1];
}

function select(className, label, options, value) {
  const node = el("select", className);
  node.setAttribute("aria-label", label);
  for (const [v, text] of options) {
    const option = el("option", null, text);
    option.value = v;
    node.append(option);
  }
  node.value = value;
  return node;
}

function button(text, className, onClick) {
  const node = el("button", `btn btn-small ${className}`, text);
  node.type = "button";
  node.addEventListener("click", onClick);
  return node;
}

function review(courier, action, body) {
  return guarded("couriers-error", showError, async () => {
    const answer = await apiAnswer("POST", `/api/admin/couriers/${courier.courierId}/${action}`, body);
    const deferred = evictionNote(answer.headers);
    if (deferred) note("couriers-note", `${courier.name} suspended; their offers and orders before pickup are released.${deferred}`);
    else $("couriers-note").hidden = true;
    await loadCouriers();
  });
}

function reasonThen(actions, courier, action, label) {
  return button(label, "btn-ghost", () => {
    const reason = actions.querySelector(".reason").value.trim();
    if (!reason) {
      showError("couriers-error", `Type a reason before choosing ${label.toLowerCase()}.`);
      return;
    }
    review(courier, action, { reason });
  });
}

function row(courier) {
  const item = el("li", "item");
  item.dataset.courierId = courier.courierId;
  item.dataset.review = courier.review;
  const head = el("div", "item-head");
  head.append(el("span", "item-name", `${courier.name} (${courier.handle})`));
  const standing = courier.suspended ? "suspended" : courier.review;
  head.append(el("span", "status-tag", standing));
  item.append(head);

  const facts = el("ul", "facts");
  facts.append(el("li", null, `Phone ${courier.phone}`));
  facts.append(el("li", null, `Vehicle ${courier.vehicle}`));
  facts.append(el("li", "claimed", `Claims ${equipmentName(courier.claimedEquipment)}`));
  facts.append(el("li", null, `Verified ${equipmentName(courier.verifiedEquipment)}, capacity ${courier.capacity}`));
  facts.append(el("li", null, `Registered ${when(courier.registeredAt)}`));
  if (courier.reviewedBy) facts.append(el("li", null, `Reviewed by ${courier.reviewedBy} ${when(courier.reviewedAt)}`));
  if (courier.rejectionReason) facts.append(el("li", null, `Reason: ${courier.rejectionReason}`));
  item.append(facts);

  const docs = el("ul", "docs");
  for (const doc of courier.documents || []) docs.append(el("li", null, `${doc.kind}: ${doc.reference}`));
  if (!docs.childElementCount) docs.append(el("li", "muted", "No documents given."));
  item.append(docs);

  const actions = el("div", "actions");
  const verified = select(
    "verified",
    "Verified equipment",
    EQUIPMENT,
    courier.review === "approved" ? courier.verifiedEquipment : courier.claimedEquipment,
  );
  const capacity = el("input", "capacity");
  capacity.type = "number";
  capacity.min = "1";
  capacity.value = String(courier.capacity || 1);
  capacity.setAttribute("aria-label", "Capacity");
  const reason = el("input", "reason");
  reason.placeholder = "reason (reject, suspend)";
  reason.setAttribute("aria-label", "Reason");
  actions.append(verified, capacity);
  actions.append(
    button("Approve", "btn-primary approve", () =>
      review(courier, "approve", { verifiedEquipment: verified.value, capacity: Number(capacity.value) }),
    ),
  );
  actions.append(reason);
  if (courier.review !== "rejected") actions.append(reasonThen(actions, courier, "reject", "Reject"));
  if (courier.suspended) actions.append(button("Reinstate", "btn-ghost reinstate", () => review(courier, "reinstate")));
  else actions.append(reasonThen(actions, courier, "suspend", "Suspend"));
  item.append(actions);
  return item;
}

const couriersLoad = newestOnly();

export async function loadCouriers() {
  const newest = couriersLoad();
  await guarded("couriers-error", showError, async () => {
    const filter = $("review-filter").value;
    const list = await api("GET", `/api/admin/couriers${filter ? `?review=${filter}` : ""}`);
    if (!newest()) return;
    $("couriers").replaceChildren(...list.map(row));
    $("couriers-empty").hidden = list.length > 0;
  });
}

$("review-filter").addEventListener("change", loadCouriers);
$("couriers-reload").addEventListener("click", loadCouriers);
