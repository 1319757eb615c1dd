package org.quintet.client;

/** One device of one account: what a session is held with. */
record DeviceAddress(String number, long deviceId) {}
