// Which devices joined and which left, between two lists of the account's devices. A device is
// its id and when it was linked: a removed device's id can be given to the next one linked.
export function diffDevices(before, after) {
  const key = (device) => `${device.deviceId}@${device.createdAt ?? ''}`;
  const was = new Set(before.map(key));
  const is = new Set(after.map(key));
  return {
    added: after.filter((device) => !was.has(key(device))),
    removed: before.filter((device) => !is.has(key(device))),
  };
}
