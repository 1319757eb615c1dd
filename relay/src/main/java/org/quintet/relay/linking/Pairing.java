package org.quintet.relay.linking;

/** A phone-number + code pairing request, from the companion's hello to its confirmation. */
final class Pairing {
  final String id;
  final String number;
  final String hello;
  final long expiresAt;
  final ProvisioningSocket companion;
  int wrongCodes;
  long timer = -1;

  Pairing(String id, String number, String hello, long expiresAt, ProvisioningSocket companion) {
    this.id = id;
    this.number = number;
    this.hello = hello;
    this.expiresAt = expiresAt;
    this.companion = companion;
  }
}
