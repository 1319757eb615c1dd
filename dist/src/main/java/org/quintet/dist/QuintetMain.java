package org.quintet.dist;

import java.util.Arrays;
import org.quintet.cli.QuintetCli;
import org.quintet.relay.RelayMain;

/**
 * {@code java -jar quintet.jar serve [...]} runs a relay node; every other word is a client verb
 * ({@code java -jar quintet.jar help} lists them). The same commands as {@code ./quintet}, for a
 * machine that has a JRE and nothing else.
 */
public final class QuintetMain {
  /** The client's logging: warnings only, on standard error, so output meant for scripts stays clean. */
  private static final String CLIENT_LOGGING = "quintet-cli-logback.xml";

  private QuintetMain() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("serve")) {
      RelayMain.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length == 0 || args[0].equals("help")) {
      System.out.println("java -jar quintet.jar serve [options]   runs a relay node (serve --help lists its options)");
      System.out.println("java -jar quintet.jar VERB [options]    runs a device's command, as below");
      System.out.println();
      args = new String[] {"--help"};
    }
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", CLIENT_LOGGING);
    }
    if (System.getProperty("quintet.launcher") == null) {
      System.setProperty("quintet.launcher", "java -jar quintet.jar");
    }
    QuintetCli.main(args);
  }
}
