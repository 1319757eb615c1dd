package org.quintet.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs the protocol end to end in one process, without a relay: two accounts, a companion
 * linked by code, a signed device list, fan-out to every device, a safety number. Started by
 * {@code ./quintet demo}.
 */
public final class Walkthrough {
  private Walkthrough() {}

  public static void main(String[] args) throws ProtocolException {
    KeySource random = KeySource.secure();
    long now = System.currentTimeMillis();
    IdentityKeyPair alicePhone = IdentityKeyPair.generate(random);
    IdentityKeyPair aliceBrowser = IdentityKeyPair.generate(random);
    IdentityKeyPair bobPhone = IdentityKeyPair.generate(random);
    say("1. Alice's phone, Alice's browser and Bob's phone each made their own identity keys.");

    CodePairing.Companion browser = CodePairing.Companion.start(random, aliceBrowser.publicKey());
    say("2. The browser shows the code " + browser.code() + "; Alice types it on her phone.");
    DeviceCert issued = DeviceCert.issue(alicePhone, 2, aliceBrowser.publicKey(), now);
    CodePairing.Primary phone = CodePairing.Primary.respond(random, browser.code(), browser.hello(), issued.encode());
    DeviceCert received = DeviceCert.parse(browser.openReply(phone.reply()));
    if (!received.isAccountSigned()) {
      throw new IllegalStateException("the phone's certificate does not verify");
    }
    byte[] counterSigned = received.counterSign(aliceBrowser).encode();
    DeviceCert linked = DeviceCert.parse(phone.openConfirm(browser.confirm(counterSigned)));
    say("   The code authenticated the exchange; the browser counter-signed its certificate.");

    byte[] list = DeviceList.sign(alicePhone, 2, now, List.of(
        DeviceCert.issue(alicePhone, 1, alicePhone.publicKey(), now).counterSign(alicePhone), linked));
    DeviceList verified = DeviceList.verify(list, alicePhone.signing().publicKey(), null);
    say("3. Alice's phone signed device list v" + verified.listVersion() + " with " + verified.devices().size()
        + " devices; Bob verified it before encrypting to any of them.");

    List<IdentityKeyPair> aliceDevices = List.of(alicePhone, aliceBrowser);
    byte[] text = "Hello Alice, on every device".getBytes(StandardCharsets.UTF_8);
    List<byte[]> fanOut = new ArrayList<>();
    for (IdentityKeyPair device : aliceDevices) {
      SignedPreKey.Pair signed = SignedPreKey.generate(random, device, 1);
      PreKeyBundle bundle = new PreKeyBundle(device.publicKey(), signed.record(), Optional.empty());
      Session session = X3dh.initiate(random, bobPhone, bundle);
      byte[] message = session.encrypt(text);
      fanOut.add(message);
      X3dh.Accepted accepted = X3dh.accept(random, device, new MemoryPreKeyStore().addSignedPreKey(1, signed.keyPair()), message);
      say("4. Device " + (fanOut.size()) + " of Alice got " + message.length + " bytes and read: \""
          + new String(accepted.plaintext(), StandardCharsets.UTF_8) + "\"");
    }
    String safetyNumber = SafetyNumber.between(alicePhone.signing().publicKey(), "+8801711000001",
        bobPhone.signing().publicKey(), "+8801811000002");
    say("5. Safety number Alice and Bob can compare: " + SafetyNumber.display(safetyNumber));
  }

  private static void say(String line) {
    System.out.println(line);
  }
}
