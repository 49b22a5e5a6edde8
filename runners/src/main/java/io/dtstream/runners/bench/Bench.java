package io.dtstream.runners.bench;

import io.dtstream.contract.cli.CommandKit;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code dtstream bench}: benchmarks of the whole chain on this machine, through a real broker
 * and the real pipeline in its own JVM. Never part of the tests; results go to CSV files.
 */
@Command(
    name = "dtstream bench",
    mixinStandardHelpOptions = true,
    subcommands = {ThroughputBench.class, LatencyBench.class, StudyBench.class},
    description =
        "Benchmarks: throughput (a pre-loaded topic, against a plain consumer's ceiling), latency"
            + " (window delay at a steady rate) and study (the sweep, with plots). Results are"
            + " appended to CSV files in --output.")
public final class Bench implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(CommandKit.execute("dtstream bench", new Bench(), args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
