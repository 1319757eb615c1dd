package org.quintet.bench.relay;

import java.util.ArrayList;
import java.util.List;
import org.quintet.protocol.KeySource;

/** A number with its primary (device 1) and companions (devices 2..). */
final class Account {
  final String number;
  final List<Device> devices = new ArrayList<>();

  Account(KeySource source, String number, int companions) {
    this.number = number;
    for (int id = 1; id <= companions + 1; id++) {
      devices.add(new Device(source, number, id, 1000 + id));
    }
  }

  Device primary() {
    return devices.get(0);
  }

  List<Device> companions() {
    return devices.subList(1, devices.size());
  }

  /** Numbers that no real user has: +1 555 01xx xxxx, distinct per benchmark index. */
  static List<Account> make(KeySource source, int count, int companions, int firstIndex) {
    List<Account> accounts = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      accounts.add(new Account(source, String.format("+1555%07d", firstIndex + i), companions));
    }
    return accounts;
  }
}
