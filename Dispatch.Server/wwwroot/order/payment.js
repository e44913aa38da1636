// Payment between placing the order and tracking it. The hook: pay(order) resolves when the customer has paid (or
// chosen to pay later); the sandbox and real providers plug in here. Until they land, orders wait for payment as
// merchant orders do (Placed), and the page goes straight on to tracking.
export async function pay(order) {
  return { paid: false, order };
}
