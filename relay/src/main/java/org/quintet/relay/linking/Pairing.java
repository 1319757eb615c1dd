package org.quintet.relay.linking;

/** A pairing request as the node holding the companion's socket tracks it: its timer and wrong codes. */
final class Pairing {
  final PairingRequest request;
  final ProvisioningSocket companion;
  int wrongCodes;
  long timer = -1;

  Pairing(PairingRequest request, ProvisioningSocket companion) {
    this.request = request;
    this.companion = companion;
  }

  String id() {
    return request.id();
  }

  String number() {
    return request.number();
  }
}
