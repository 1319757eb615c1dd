// One link attempt at a time. The client core refuses to start an attempt while another is under
// way ('linking'), and cancelling one takes effect only once it has started; so every start and
// stop goes through here, in order, and waits for the previous attempt to be over.
export function linkControl(device) {
  let last = Promise.resolve();

  async function stopCurrent() {
    if (device.state !== 'linking') return;
    const ended = new Promise((resolve) => {
      const check = () => {
        if (device.state === 'linking') return;
        device.removeEventListener('state', check);
        resolve();
      };
      device.addEventListener('state', check);
    });
    device.cancelLink();
    await ended;
  }

  function queue(step) {
    const next = last.then(step);
    last = next.catch(() => {}); // a failed start does not block the next one
    return next;
  }

  return {
    // Ends the attempt under way, if any, then calls begin() (which starts the next one).
    // Resolves or rejects as begin() does.
    restart: (begin) => queue(async () => {
      await stopCurrent();
      return begin();
    }),
    stop: () => queue(stopCurrent),
  };
}
