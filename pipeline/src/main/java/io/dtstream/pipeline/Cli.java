package io.dtstream.pipeline;

import io.dtstream.contract.cli.CommandKit;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The front of the pipeline's commands: Beam-style {@code --name=value} options, the runner's
 * defaults ({@link RunnerDefaults}) applied after parsing, {@code --help} with the options of the
 * runner chosen, {@code --version}, and errors as {@link CommandKit} gives them.
 */
public final class Cli {
  /** A command's body; returns the process exit code. */
  public interface Command<T extends PipelineOptions> {
    int run(T options) throws Exception;
  }

  private Cli() {}

  public static <T extends PipelineOptions> void main(
      String name, String purpose, String[] args, Class<T> type, Command<T> command) {
    List<String> given = Arrays.asList(args);
    if (given.contains("--version")) {
      System.out.println(CommandKit.version());
      System.exit(CommandKit.OK);
    }
    if (given.contains("--help") || given.contains("-h")) {
      System.exit(help(name, purpose, args, type, System.out));
    }
    System.exit(run(name, args, type, command));
  }

  static <T extends PipelineOptions> int help(
      String name, String purpose, String[] args, Class<T> type, PrintStream out) {
    out.println("Usage: dtstream " + name + " [--option=value ...]");
    out.println(purpose);
    out.println();
    PipelineOptionsFactory.printHelp(out, type);
    try {
      RunnerDefaults.runnerOptions(args)
          .ifPresent(runner -> PipelineOptionsFactory.printHelp(out, runner));
    } catch (RuntimeException e) {
      return CommandKit.usageError("dtstream " + name, e.getMessage());
    }
    return CommandKit.OK;
  }

  static <T extends PipelineOptions> int run(
      String name, String[] args, Class<T> type, Command<T> command) {
    String commandName = "dtstream " + name;
    T options;
    try {
      options = parse(args, type);
    } catch (RuntimeException e) {
      return CommandKit.usageError(commandName, e.getMessage());
    }
    try {
      return command.run(options);
    } catch (CommandKit.UsageError e) {
      return CommandKit.usageError(commandName, e.getMessage());
    } catch (Exception e) {
      return CommandKit.failure(commandName, e);
    }
  }

  /** Parses {@code args} as {@code type}, with the defaults of the runner they name. */
  public static <T extends PipelineOptions> T parse(String[] args, Class<T> type) {
    PipelineOptionsFactory.register(type);
    return PipelineOptionsFactory.fromArgs(RunnerDefaults.apply(args)).withValidation().as(type);
  }
}
