package org.quintet.bench.protocol;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;
import org.quintet.protocol.DeviceCert;
import org.quintet.protocol.DeviceList;
import org.quintet.protocol.IdentityKeyPair;
import org.quintet.protocol.KeySource;
import org.quintet.protocol.OneTimePreKey;
import org.quintet.protocol.PreKeyBundle;
import org.quintet.protocol.PreKeyStore;
import org.quintet.protocol.ProtocolException;
import org.quintet.protocol.Session;
import org.quintet.protocol.SignedPreKey;
import org.quintet.protocol.X25519KeyPair;
import org.quintet.protocol.X3dh;

/**
 * The protocol's hot operations: session set-up (both sides), ratchet encrypt and decrypt of a
 * 200-byte message on one chain, and verifying a five-device list. Figures: docs/performance.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ProtocolBenchmark {
  private static final int BATCH = 1000;
  private final byte[] plaintext = new byte[200];
  private IdentityKeyPair alice;
  private IdentityKeyPair bob;
  private PreKeyBundle bundle;
  private ReusablePreKeys bobPreKeys;
  private Session sender;
  private Session receiver;
  private byte[] deviceList;
  private byte[] accountKey;

  @Setup(Level.Trial)
  public void setUp() throws ProtocolException {
    alice = IdentityKeyPair.generate(KeySource.secure());
    bob = IdentityKeyPair.generate(KeySource.secure());
    SignedPreKey.Pair signed = SignedPreKey.generate(KeySource.secure(), bob, 1);
    OneTimePreKey.Pair oneTime = OneTimePreKey.generate(KeySource.secure(), 1);
    bobPreKeys = new ReusablePreKeys(signed.keyPair(), oneTime.keyPair());
    bundle = new PreKeyBundle(bob.publicKey(), signed.record(), Optional.of(oneTime.record()));

    IdentityKeyPair account = alice;
    List<DeviceCert> certs = new java.util.ArrayList<>();
    certs.add(DeviceCert.issue(account, 1, account.publicKey(), 1).counterSign(account));
    for (int id = 2; id <= 5; id++) {
      IdentityKeyPair companion = IdentityKeyPair.generate(KeySource.secure());
      certs.add(DeviceCert.issue(account, id, companion.publicKey(), id).counterSign(companion));
    }
    deviceList = DeviceList.sign(account, 7, 1, certs);
    accountKey = account.signing().publicKey();
  }

  /** A fresh pair of sessions whose first exchange is done, so the chains are plain ratchets. */
  @Setup(Level.Iteration)
  public void establish() throws ProtocolException {
    sender = X3dh.initiate(KeySource.secure(), alice, bundle);
    receiver = X3dh.accept(KeySource.secure(), bob, bobPreKeys, sender.encrypt(plaintext)).session();
    sender.decrypt(receiver.encrypt(plaintext));
  }

  /**
   * Messages encrypted outside the measurement, for the decrypt benchmark only. It keeps its own
   * sessions: JMH does not order set-ups of different states at different levels.
   */
  @State(Scope.Thread)
  public static class EncryptedBatch {
    final byte[][] messages = new byte[BATCH][];
    final byte[] plaintext = new byte[200];
    Session sender;
    Session receiver;

    @Setup(Level.Trial)
    public void establish() throws ProtocolException {
      ProtocolBenchmark keys = new ProtocolBenchmark();
      keys.setUp();
      keys.establish();
      sender = keys.sender;
      receiver = keys.receiver;
    }

    @Setup(Level.Invocation)
    public void encrypt() throws ProtocolException {
      for (int i = 0; i < BATCH; i++) {
        messages[i] = sender.encrypt(plaintext);
      }
    }
  }

  @Benchmark
  public Object sessionSetUp() throws ProtocolException {
    Session initiator = X3dh.initiate(KeySource.secure(), alice, bundle);
    return X3dh.accept(KeySource.secure(), bob, bobPreKeys, initiator.encrypt(plaintext));
  }

  @Benchmark
  public byte[] encrypt200Bytes() throws ProtocolException {
    return sender.encrypt(plaintext);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void decrypt200Bytes(EncryptedBatch batch, Blackhole sink) throws ProtocolException {
    for (byte[] message : batch.messages) {
      sink.consume(batch.receiver.decrypt(message));
    }
  }

  @Benchmark
  public DeviceList verifyFiveDeviceList() throws ProtocolException {
    return DeviceList.verify(deviceList, accountKey, null);
  }

  /** Hands out the same one-time prekey again and again, so set-up can be repeated. */
  private static final class ReusablePreKeys implements PreKeyStore {
    private final Map<Long, X25519KeyPair> signed = new HashMap<>();
    private final X25519KeyPair oneTime;

    ReusablePreKeys(X25519KeyPair signed, X25519KeyPair oneTime) {
      this.signed.put(1L, signed);
      this.oneTime = oneTime;
    }

    @Override
    public X25519KeyPair signedPreKey(long id) {
      return signed.get(id);
    }

    @Override
    public X25519KeyPair oneTimePreKey(long id) {
      return oneTime;
    }

    @Override
    public void removeOneTimePreKey(long id) {
      // kept on purpose: the benchmark reuses it
    }
  }
}
