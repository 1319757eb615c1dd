// Runs steps one at a time, in call order. Every step that reads and writes session state goes
// through one queue: two steps that stepped the same ratchet at once would re-use message keys.
export function serialQueue() {
  let tail = Promise.resolve();
  return (step) => {
    const result = tail.then(step);
    tail = result.catch(() => {});
    return result;
  };
}
