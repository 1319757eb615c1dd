package org.quintet.client;

import org.quintet.protocol.PreKeyBundle;

/** A prekey bundle whose identity the account's signed device list gives to its device. */
record TrustedBundle(long deviceId, int registrationId, PreKeyBundle bundle) {}
