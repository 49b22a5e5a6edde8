package io.dtstream.contract.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;

/**
 * What every dtstream command does alike: a usage error is one line on stderr and exit 2, a
 * failure one line and exit 1, never a stack trace ({@code DTSTREAM_DEBUG=1} adds it);
 * {@code --version} prints the project version and the commit it was built from; an old option
 * spelling still works, with a one-line note.
 */
public final class CommandKit {
  public static final int OK = 0;
  public static final int FAILURE = 1;
  public static final int USAGE = 2;

  /** An error the user can fix (a bad option, a missing input): exit code 2. */
  public static final class UsageError extends RuntimeException {
    public UsageError(String message) {
      super(message);
    }
  }

  private CommandKit() {}

  /** Runs a picocli command ({@code name} as in "dtstream inject") and returns its exit code. */
  public static int execute(String name, Object command, String[] args, Map<String, String> renamed) {
    CommandLine commandLine =
        new CommandLine(command)
            .setParameterExceptionHandler(
                (error, ignored) ->
                    usageError(error.getCommandLine().getCommandSpec().qualifiedName(), error.getMessage()))
            .setExecutionExceptionHandler(
                (error, line, ignored) ->
                    error instanceof UsageError
                        ? usageError(line.getCommandSpec().qualifiedName(), error.getMessage())
                        : failure(line.getCommandSpec().qualifiedName(), error));
    setVersion(commandLine);
    return commandLine.execute(renamed(name, args, renamed));
  }

  /** As {@link #execute(String, Object, String[], Map)} for a command without old spellings. */
  public static int execute(String name, Object command, String[] args) {
    return execute(name, command, args, Map.of());
  }

  private static void setVersion(CommandLine commandLine) {
    commandLine.getCommandSpec().version(version());
    commandLine.getSubcommands().values().forEach(CommandKit::setVersion);
  }

  /**
   * {@code args} with old option names ({@code --topic}) replaced by the current ones, saying so
   * once per option on stderr.
   */
  public static String[] renamed(String name, String[] args, Map<String, String> renamed) {
    List<String> result = new ArrayList<>(args.length);
    for (String arg : args) {
      String option = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      String current = renamed.get(option);
      if (current == null) {
        result.add(arg);
      } else {
        System.err.println(name + ": " + option + " is deprecated, use " + current);
        result.add(current + arg.substring(option.length()));
      }
    }
    return result.toArray(String[]::new);
  }

  /** Prints a usage error of {@code name} and returns its exit code. */
  public static int usageError(String name, String message) {
    System.err.println(name + ": " + oneLine(message) + " (see " + name + " --help)");
    return USAGE;
  }

  /** Prints a failure of {@code name} on one line (with its stack trace under DTSTREAM_DEBUG). */
  public static int failure(String name, Throwable error) {
    if (System.getenv("DTSTREAM_DEBUG") != null) {
      error.printStackTrace();
    }
    System.err.println(name + ": " + oneLine(error));
    return FAILURE;
  }

  /** The innermost cause that says something, on one line. */
  public static String oneLine(Throwable e) {
    String message = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getClass().getSimpleName() + ": " + t.getMessage();
      }
    }
    return oneLine(message == null ? e.getClass().getSimpleName() : message);
  }

  private static String oneLine(String message) {
    return message.replaceAll("\\s*\\R\\s*", " ").strip();
  }

  /** {@code dtstream VERSION (commit C)}, as the build recorded it. */
  public static String version() {
    Properties build = new Properties();
    try (InputStream in = CommandKit.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        build.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String version = build.getProperty("version", "unknown");
    String commit = build.getProperty("commit", "");
    if (commit.isBlank() || commit.startsWith("${")) {
      return "dtstream " + version;
    }
    return "dtstream " + version + " (commit " + commit + ("true".equals(build.getProperty("dirty")) ? ", modified" : "") + ")";
  }

  /** {@code dtstream --version}, for the launcher. */
  public static void main(String[] args) {
    System.out.println(version());
  }
}
