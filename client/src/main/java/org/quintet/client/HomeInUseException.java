package org.quintet.client;

import java.io.IOException;
import java.nio.file.Path;

/** Another process holds the home directory's lock. */
public final class HomeInUseException extends IOException {
  public HomeInUseException(Path home) {
    super("another quintet process is using " + home + "; wait for it to finish");
  }
}
