// For what each load replaces on screen (a list, a report): call it as a load starts, and call what it returns once the
// answer is in; false means a newer load started meanwhile (another filter, search or range), whose answer is the one to show.
export function newestOnly() {
  let started = 0;
  return () => {
    const mine = ++started;
    return () => mine === started;
  };
}
