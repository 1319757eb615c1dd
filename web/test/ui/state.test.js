// The page's decisions that need no page: which screen, which devices changed, one link attempt
// at a time.
import { equal, deepEqual } from '../assert.js';
import { chooseScreen } from '../../../static/js/app/route.js';
import { diffDevices } from '../../../static/js/app/device-diff.js';
import { linkControl } from '../../../static/js/app/link-control.js';
import { FakeDevice } from './fake-device.js';

export const tests = [
  ['the screen follows the state, and what this tab did', () => {
    equal(chooseScreen({ state: 'unlinked' }), 'welcome', 'the first screen asks what this device is for');
    equal(chooseScreen({ state: 'unlinked', choice: 'link' }), 'link');
    equal(chooseScreen({ state: 'unlinked', choice: 'phone' }), 'register');
    equal(chooseScreen({ state: 'registering' }), 'register', 'a code was asked for');
    equal(chooseScreen({ state: 'registering', choice: 'link' }), 'register');
    equal(chooseScreen({ state: 'linked', choice: 'phone' }), 'main', 'registered');
    equal(chooseScreen({ state: 'linking', linkStarted: true }), 'link', 'this tab is showing a code');
    equal(chooseScreen({ state: 'linking' }), 'syncing', 'a link this tab did not start');
    equal(chooseScreen({ state: 'linking', linkStarted: true, linkedEvent: true }), 'syncing');
    equal(chooseScreen({ state: 'linked', linkStarted: true, linkedEvent: true }), 'main');
    equal(chooseScreen({ state: 'logged-out' }), 'logged-out');
    equal(chooseScreen({ state: 'logged-out', linkedEvent: true }), 'logged-out');
    equal(chooseScreen({ state: 'logged-out', relinking: true }), 'welcome');
    equal(chooseScreen({ state: 'logged-out', relinking: true, choice: 'link' }), 'link');
    equal(chooseScreen({ state: 'linking', relinking: true, linkStarted: true }), 'link');
  }],

  ['devices that joined and left, a reused id counting as both', () => {
    const phone = { deviceId: 1, createdAt: 10 };
    const old = { deviceId: 2, createdAt: 20 };
    const reused = { deviceId: 2, createdAt: 30 };
    const tablet = { deviceId: 3, createdAt: 40 };
    deepEqual(diffDevices([phone, old], [phone, old]), { added: [], removed: [] });
    deepEqual(diffDevices([phone, old], [phone, old, tablet]), { added: [tablet], removed: [] });
    deepEqual(diffDevices([phone, old], [phone]), { added: [], removed: [old] });
    deepEqual(diffDevices([phone, old], [phone, reused]), { added: [reused], removed: [old] });
  }],

  ['a new link attempt starts only when the one under way has ended', async () => {
    const device = new FakeDevice();
    const control = linkControl(device);
    await control.restart(() => device.startQrLink({ name: 'a' }));
    equal(device.state, 'linking');
    // The core refuses a second start while 'linking'; through the control it waits instead.
    await control.restart(() => device.startQrLink({ name: 'b' }));
    deepEqual(device.calls.map(([name]) => name), ['startQrLink', 'cancelLink', 'startQrLink']);
    equal(device.state, 'linking');
    await control.stop();
    equal(device.state, 'unlinked');
    await control.stop();
    equal(device.called('cancelLink').length, 2, 'nothing to cancel the second time');
  }],

  ['calls in quick succession run in order, and a failed start does not block the next', async () => {
    const device = new FakeDevice();
    const control = linkControl(device);
    const first = control.restart(() => device.startQrLink({ name: 'a' }));
    const refused = control.restart(() => Promise.reject(Object.assign(new Error('no'), { code: 'UNREACHABLE' })));
    const third = control.restart(() => device.startCodeLink({ number: '+8801711000001', name: 'c' }));
    await first;
    equal(await refused.catch((err) => err.code), 'UNREACHABLE');
    await third;
    deepEqual(device.calls.map(([name]) => name), ['startQrLink', 'cancelLink', 'startCodeLink']);
    equal(device.state, 'linking');
  }],
];
