// Rating the delivery once it is done (Rate on the tracking hub).
import { $ } from "../common/dom.js";
import { serverMessage } from "../common/hub.js";
import { state } from "./state.js";

export function renderRating() {
  const delivered = state.status === "delivered";
  $("rating-card").hidden = !delivered;
  if (!delivered) return;
  const rated = state.rating;
  $("rating-form").hidden = Boolean(rated);
  $("rating-done").hidden = !rated;
  if (rated) {
    $("rating-done").textContent = `You rated this delivery ${rated.stars} out of 5${rated.comment ? `: “${rated.comment}”` : "."}`;
    $("rating-card").querySelector(".rating-title").textContent = "Thanks for your feedback";
  }
  paintStars(rated ? rated.stars : state.stars);
}

export function paintStars(n) {
  document.querySelectorAll("#stars .star").forEach((star) => {
    const on = Number(star.dataset.stars) <= n;
    star.classList.toggle("is-on", on);
    star.setAttribute("aria-checked", String(Number(star.dataset.stars) === n));
  });
}

$("stars").addEventListener("click", (e) => {
  const star = e.target.closest(".star");
  if (!star) return;
  state.stars = Number(star.dataset.stars);
  $("rating-submit").disabled = false;
  paintStars(state.stars);
});

$("rating-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  if (state.busy || !state.stars || !state.snapshot) return;
  state.busy = true;
  $("rating-submit").disabled = true;
  $("rating-error").hidden = true;
  try {
    const comment = $("rating-comment").value.trim();
    state.rating = await state.connection.invoke("Rate", state.token, state.snapshot.orderId, state.stars, comment || null);
    renderRating();
  } catch (error) {
    $("rating-error").textContent = serverMessage(error) || "Your rating did not go through. Try again.";
    $("rating-error").hidden = false;
    $("rating-submit").disabled = false;
  } finally {
    state.busy = false;
  }
});
