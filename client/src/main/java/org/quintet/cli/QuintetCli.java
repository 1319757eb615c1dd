package org.quintet.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine.Spec;

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
        "10:internal error"},
    subcommands = {RegisterCommand.class, VerifyCommand.class, SendCommand.class, ReceiveCommand.class,
        DevicesCommand.class, WhoamiCommand.class, TrustCommand.class})
public final class QuintetCli implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs one verb; answers its exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    // The libraries log through java.util.logging; their messages are not for the user.
    Logger.getLogger("").setLevel(Level.OFF);
    CommandLine commandLine = new CommandLine(new QuintetCli())
        .setOut(out)
        .setErr(err)
        .setExecutionExceptionHandler(new Failures())
        .setParameterExceptionHandler(QuintetCli::badArguments);
    return commandLine.execute(args);
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
