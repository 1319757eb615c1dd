package org.quintet.client;

import io.vertx.core.net.TrustOptions;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.TrustManagerFactorySpi;
import javax.net.ssl.X509ExtendedTrustManager;
import org.quintet.protocol.CertificatePin;

/**
 * How a device trusts its relay's certificate over HTTPS: by the system's certificate
 * authorities (and the host name), or, for a relay with a certificate of its own making, by the
 * pins its owner accepted. Never "trust everything". Remembers the certificate it last refused,
 * so that the refusal can say what to compare and how to pin it.
 */
public final class RelayTrust {
  private static final Provider PROVIDER = new Provider("quintet-relay-trust", "1", "how a device trusts its relay") {};
  private final List<String> pins;
  private final AtomicReference<X509Certificate> refused = new AtomicReference<>();

  /** {@code pins} in {@link CertificatePin#normalize} form; empty: the system's authorities. */
  public RelayTrust(List<String> pins) {
    this.pins = List.copyOf(pins);
  }

  public List<String> pins() {
    return pins;
  }

  public boolean pinned() {
    return !pins.isEmpty();
  }

  /** The certificate of the last refused handshake, if any. */
  X509Certificate refused() {
    return refused.get();
  }

  /**
   * The trust as Vert.x takes it: a factory of {@link #trustManager()}. Made here rather than by
   * {@code TrustOptions.wrap(TrustManager)}, whose wrapper needs SLF4J, which the command line does
   * not carry.
   */
  TrustOptions trustOptions() {
    TrustManager manager = trustManager();
    return TrustOptions.wrap(new TrustManagerFactory(new TrustManagerFactorySpi() {
      @Override
      protected void engineInit(KeyStore keys) {
        // nothing to read: the trust manager is made
      }

      @Override
      protected void engineInit(ManagerFactoryParameters parameters) {
        // nothing to read: the trust manager is made
      }

      @Override
      protected TrustManager[] engineGetTrustManagers() {
        return new TrustManager[] {manager};
      }
    }, PROVIDER, "quintet-relay-trust") {});
  }

  /** The trust manager a TLS client of this device uses. */
  TrustManager trustManager() {
    return pinned() ? new Pinned() : new SystemAuthorities(systemTrustManager());
  }

  private static X509ExtendedTrustManager systemTrustManager() {
    try {
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init((KeyStore) null);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509ExtendedTrustManager extended) {
          return extended;
        }
      }
      throw new IllegalStateException("the JDK has no X.509 trust manager");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the system's certificate authorities cannot be read", e);
    }
  }

  private CertificateException refuse(X509Certificate[] chain, String why) {
    refused.set(chain == null || chain.length == 0 ? null : chain[0]);
    return new CertificateException(why);
  }

  /** Only a certificate whose key (or whole certificate) was pinned, in its validity period. */
  private final class Pinned extends X509ExtendedTrustManager {
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      if (chain == null || chain.length == 0) {
        throw refuse(chain, "the relay presented no certificate");
      }
      if (pins.stream().noneMatch(pin -> CertificatePin.matches(pin, chain[0]))) {
        throw refuse(chain, "the relay's certificate matches none of the pins this device trusts");
      }
      try {
        chain[0].checkValidity();
      } catch (CertificateException e) {
        throw refuse(chain, "the relay's pinned certificate is outside its validity period");
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      throw new CertificateException("a device does not accept connections");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  /** The JDK's own checks (chain to a system authority, host name), noting what it refused. */
  private final class SystemAuthorities extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager system;

    SystemAuthorities(X509ExtendedTrustManager system) {
      this.system = system;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      try {
        system.checkServerTrusted(chain, authType);
      } catch (CertificateException e) {
        throw refuse(chain, e.getMessage());
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      try {
        system.checkServerTrusted(chain, authType, socket);
      } catch (CertificateException e) {
        throw refuse(chain, e.getMessage());
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      try {
        system.checkServerTrusted(chain, authType, engine);
      } catch (CertificateException e) {
        throw refuse(chain, e.getMessage());
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      system.checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      system.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      system.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return system.getAcceptedIssuers();
    }
  }
}
