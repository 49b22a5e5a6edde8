package io.dtstream.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/** Runs a command in-process and captures its exit code, stdout lines and stderr. */
public record CommandRun(int exitCode, List<String> stdout, String stderr) {

  public static synchronized CommandRun of(Supplier<Integer> command) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
      code = command.get();
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    String text = stdout.toString(StandardCharsets.UTF_8);
    return new CommandRun(
        code,
        text.isEmpty() ? List.of() : Arrays.asList(text.split("\n")),
        stderr.toString(StandardCharsets.UTF_8));
  }
}
