package org.quintet.client;

import java.util.List;

/** The parts of a home's store, each one or more tables that change together. */
enum StoreTable {
  DEVICE("device", "history_transfer", "relay_pins"),
  SIGNED_PREKEYS("signed_prekeys"),
  ONE_TIME_PREKEYS("one_time_prekeys"),
  SESSIONS("sessions"),
  ACCOUNTS("account_devices", "accounts"),
  SEEN("seen"),
  HISTORY("history", "reactions"),
  PROFILES("profiles"),
  PROFILE_SHARES("profile_shares");

  final List<String> tables;

  StoreTable(String... tables) {
    this.tables = List.of(tables);
  }
}
