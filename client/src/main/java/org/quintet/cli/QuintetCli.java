package org.quintet.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/** The command-line client: one device per home directory, one verb per run. */
@Command(name = "quintet", mixinStandardHelpOptions = true, version = "quintet 0.1.0",
    description = "End-to-end encrypted messaging on a Quintet relay.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:ok",
        "1:usage (bad arguments)",
        "2:the relay refused (its code and message are printed)",
        "3:the relay is unreachable or the connection was lost",
        "4:not registered, or logged out",
        "5:an end-to-end check refused what the relay gave",
        "6:the home directory cannot be used",
        "7:linking did not complete (wrong code, request ended, timed out, too many devices)",
        "8:not sent: a device it was for has as many messages waiting on the relay as it may hold",
        "9:the message named is not here, or may not be changed (not yours, or its time is past)",
        "10:internal error"},
    subcommands = {RegisterCommand.class, VerifyCommand.class, SendCommand.class, SendFileCommand.class,
        DownloadCommand.class, ReplyCommand.class,
        ReactCommand.class, EditCommand.class, DeleteCommand.class, ReadCommand.class, TypingCommand.class,
        ProfileCommand.class, SettingsCommand.class, SearchCommand.class, ReceiveCommand.class,
        DevicesCommand.class, WhoamiCommand.class, TrustCommand.class, LinkCommand.class, LinkDeviceCommand.class,
        RenameDeviceCommand.class, RemoveDeviceCommand.class, LogoutCommand.class, DaemonCommand.class})
public final class QuintetCli implements Callable<Integer> {
  /** Where a verb reads the user's answers (logout's confirmation). */
  final BufferedReader in;

  @Spec
  CommandSpec spec;

  private QuintetCli(BufferedReader in) {
    this.in = in;
  }

  public static void main(String[] args) {
    System.exit(run(args, new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
        new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs one verb with nobody to answer its questions; answers its exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return run(args, new BufferedReader(new StringReader("")), out, err);
  }

  /**
   * Runs one verb; answers its exit code. When another process holds the verb's home
   * ({@code receive}, {@code daemon}), a verb it can run ({@link HomeSocket#FORWARDED}) runs there.
   */
  public static int run(String[] args, BufferedReader in, PrintWriter out, PrintWriter err) {
    String[] ordered = verbFirst(args);
    Optional<Path> home = homeOf(ordered);
    if (home.isPresent()) {
      Optional<Integer> forwarded = HomeSocket.forward(Arrays.asList(ordered), home.get(), out, err);
      if (forwarded.isPresent()) {
        return forwarded.get();
      }
    }
    return runHere(ordered, in, out, err);
  }

  /**
   * The home a verb would use, read by picocli as the verb reads it (flag, env, default); empty
   * for arguments that ask for help or would be refused, which run here.
   */
  private static Optional<Path> homeOf(String[] args) {
    try {
      ParseResult parsed = new CommandLine(new QuintetCli(null)).parseArgs(args);
      if (!parsed.hasSubcommand() || parsed.subcommand().isUsageHelpRequested()
          || parsed.subcommand().isVersionHelpRequested()) {
        return Optional.empty();
      }
      OptionSpec home = parsed.subcommand().commandSpec().findOption("--home");
      return home == null ? Optional.empty() : Optional.ofNullable(home.getValue());
    } catch (ParameterException e) {
      return Optional.empty();
    }
  }

  /** Runs one verb in this process. */
  static int runHere(String[] args, BufferedReader in, PrintWriter out, PrintWriter err) {
    // The libraries log through java.util.logging; their messages are not for the user.
    Logger.getLogger("").setLevel(Level.OFF);
    CommandLine commandLine = new CommandLine(new QuintetCli(in))
        .setOut(out)
        .setErr(err)
        .setExecutionExceptionHandler(new Failures())
        .setParameterExceptionHandler(QuintetCli::badArguments);
    return commandLine.execute(verbFirst(args));
  }

  /**
   * The common options ({@link HomeOptions#NAMES}) may come before the verb, as in
   * {@code quintet --home alice send ...}: they are moved behind it, where the verb reads them.
   */
  static String[] verbFirst(String[] args) {
    List<String> leading = new ArrayList<>();
    int i = 0;
    while (i < args.length) {
      String name = args[i].contains("=") ? args[i].substring(0, args[i].indexOf('=')) : args[i];
      if (!HomeOptions.NAMES.contains(name)) {
        break;
      }
      boolean joined = args[i].contains("=");
      leading.add(args[i]);
      if (!joined && i + 1 < args.length) {
        leading.add(args[i + 1]);
        i++;
      }
      i++;
    }
    if (leading.isEmpty() || i == args.length) {
      return args;
    }
    List<String> reordered = new ArrayList<>();
    reordered.add(args[i]);
    reordered.addAll(leading);
    reordered.addAll(Arrays.asList(args).subList(i + 1, args.length));
    return reordered.toArray(String[]::new);
  }

  /** Says what was wrong with the arguments, shows the verb's usage, and exits with {@link ExitCodes#USAGE}. */
  private static int badArguments(ParameterException problem, String[] args) {
    CommandLine verb = problem.getCommandLine();
    PrintWriter err = verb.getErr();
    err.println("quintet: " + problem.getMessage());
    UnmatchedArgumentException.printSuggestions(problem, err);
    verb.usage(err);
    return ExitCodes.USAGE;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }
}
