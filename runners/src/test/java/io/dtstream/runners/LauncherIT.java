package io.dtstream.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dtstream.contract.results.ResultsSchema;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Every command of {@code runners/dtstream}, run through the launcher on the build at hand: an
 * unknown option is one line on stderr and exit 2, {@code --version} prints the version.
 */
public class LauncherIT {
  private static final Path LAUNCHER = Path.of("dtstream").toAbsolutePath();
  private static final String VERSION = "dtstream \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?( \\(commit [0-9a-f]+(, modified)?\\))?";

  @Rule public final TemporaryFolder temp = new TemporaryFolder();

  private record Run(int code, List<String> out, List<String> err) {}

  @Test
  public void everyCommandGivesOneLineForAnUnknownOptionAndPrintsItsVersion() throws Exception {
    List<String> commands = commands();
    assertThat(commands, hasItems("demo", "analyze", "kafka", "pipeline", "inject", "simulate",
        "spark-cluster", "s3", "watch", "dashboard", "bench"));
    for (String command : commands) {
      Run bogus = run(command, "--bogusOption");
      assertEquals(command + ": " + bogus, 2, bogus.code());
      assertEquals(command + ": " + bogus, 1, bogus.err().size());
      assertThat(bogus.err().get(0), matchesPattern("dtstream " + command + ": .+"));

      Run version = run(command, "--version");
      assertEquals(command + ": " + version, 0, version.code());
      assertThat(version.out().get(0), matchesPattern(VERSION));
    }
    for (String[] subcommand : List.of(new String[] {"kafka", "start"}, new String[] {"s3", "status"},
        new String[] {"spark-cluster", "stop"})) {
      Run bogus = run(subcommand[0], subcommand[1], "--bogusOption");
      assertEquals(bogus.toString(), 2, bogus.code());
      assertEquals(bogus.toString(), 1, bogus.err().size());
    }
    // a metrics port out of range is a usage error, before anything starts
    for (String[] command : List.of(new String[] {"pipeline", "--metricsPort=70000"},
        new String[] {"inject", "--source=sim:", "--metricsPort=-1"})) {
      Run bad = run(command);
      assertEquals(bad.toString(), 2, bad.code());
      assertEquals(bad.toString(), 1, bad.err().size());
      assertThat(bad.err().get(0), matchesPattern("dtstream " + command[0] + ": --metricsPort must be 0-65535, got .+"));
    }
    Run unknown = run("no-such-command");
    assertEquals(2, unknown.code());
    assertEquals(1, unknown.err().size());
  }

  @Test
  public void theRunnerNamedPicksItsClasspathAndDefaults() throws Exception {
    for (String spelling : List.of("spark", "SparkRunner", "org.apache.beam.runners.spark.SparkRunner")) {
      Run help = run("pipeline", "--runner=" + spelling, "--help");
      assertEquals(help.toString(), 0, help.code());
      assertThat(spelling, help.out(), hasItems(matchesPattern("\\s*--sparkMaster=.*")));
    }
  }

  /**
   * On two cores or fewer the pipeline's JVM compiles with C1 only (the launcher's pipeline_jit:
   * C2 competed with the work for the cores), elsewhere with both tiers; JAVA_OPTS wins.
   */
  @Test
  public void thePipelineCompilesWithC1OnlyOnTwoCoresOrFewer() throws Exception {
    Process nproc = new ProcessBuilder("nproc").start();
    int cores = Integer.parseInt(new String(nproc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
    String expected = cores <= 2 ? "1" : "4";
    for (String command : List.of("pipeline", "analyze")) {
      assertEquals(command, expected, tieredStopAtLevel(run(Map.of("JAVA_OPTS", "-XX:+PrintFlagsFinal"), command, "--help")));
    }
    assertEquals("4", tieredStopAtLevel(
        run(Map.of("JAVA_OPTS", "-XX:TieredStopAtLevel=4 -XX:+PrintFlagsFinal"), "pipeline", "--runner=flink", "--help")));
    assertEquals("the injector keeps both tiers", "4",
        tieredStopAtLevel(run(Map.of("JAVA_OPTS", "-XX:+PrintFlagsFinal"), "inject", "--help")));
  }

  /** The JVM's TieredStopAtLevel, from the flags it printed. */
  private static String tieredStopAtLevel(Run run) {
    return run.out().stream()
        .filter(line -> line.trim().startsWith("intx TieredStopAtLevel"))
        .map(line -> line.trim().split("\\s+")[3])
        .findFirst()
        .orElseThrow(() -> new AssertionError("no TieredStopAtLevel in " + run.out().size() + " lines"));
  }

  /**
   * Faults planted with simulate's flags come out of analyze --summary's quality within the
   * issue's tolerances, and plot-timebox draws the fitted time boxes.
   */
  @Test
  public void plantedFaultsAreReportedByAnalyzeSummaryAndDrawn() throws Exception {
    Run simulated = run("simulate", "--rows=300000", "--seed=7", "--delayNs", "2=12", "--efficiency", "1.3=0.6",
        "--spec=tmax.0=430");
    assertEquals(simulated.err().toString(), 0, simulated.code());
    Path rows = temp.newFile("planted.csv").toPath();
    Files.write(rows, simulated.out(), StandardCharsets.UTF_8);
    Run analyzed = run("analyze", "--input=" + rows, "--timeDomain=detector", "--summary");
    assertEquals(analyzed.err().toString(), 0, analyzed.code());
    assertEquals(1, analyzed.out().size());
    JsonNode summary = new ObjectMapper().readTree(analyzed.out().get(0));
    assertEquals(List.of(), ResultsSchema.violations(summary));
    JsonNode chambers = summary.path("chambers");
    for (int c = 0; c < 4; c++) {
      assertEquals("chamber " + c, "ok", chambers.get(c).at("/quality/timeBox/status").asText());
    }
    for (int other : new int[] {0, 1, 3}) {
      double difference = t0(chambers, 2) - t0(chambers, other);
      assertEquals("t0 of chamber 2 minus chamber " + other, 12, difference, 2);
    }
    assertEquals(430, chambers.get(0).at("/quality/timeBox/tMaxNs").asDouble(), 4);
    assertEquals(390.3, chambers.get(1).at("/quality/timeBox/tMaxNs").asDouble(), 3);
    assertEquals(0.6, chambers.get(1).at("/quality/layerEfficiency/2/efficiency").asDouble(), 0.05);
    assertEquals(0.95, chambers.get(2).at("/quality/layerEfficiency/2/efficiency").asDouble(), 0.05);

    Path summaryFile = temp.newFile("summary.json").toPath();
    Files.writeString(summaryFile, analyzed.out().get(0));
    Path png = temp.getRoot().toPath().resolve("timebox.png");
    Run plotted = run("plot-timebox", "--input=" + summaryFile, "--output=" + png);
    assertEquals(plotted.err().toString(), 0, plotted.code());
    byte[] image = Files.readAllBytes(png);
    assertTrue("a PNG of " + image.length + " bytes", image.length > 10_000 && image[1] == 'P' && image[2] == 'N' && image[3] == 'G');
  }

  /**
   * One logging setup: quiet by default, every stderr line a JSON object with {@code
   * DTSTREAM_LOG_FORMAT=json}, more of them with {@code DTSTREAM_LOG_LEVEL}; a format it does not
   * know is one line and exit 2.
   */
  @Test
  public void loggingHasOneLevelSwitchAndAJsonFormat() throws Exception {
    Path rows = temp.newFile("rows.csv").toPath();
    Files.write(rows, run("simulate", "--rows=2000").out(), StandardCharsets.UTF_8);
    Run quiet = run("analyze", "--input=" + rows, "--timeDomain=detector", "--summary");
    assertEquals(quiet.toString(), 0, quiet.code());
    assertEquals("nothing logged at the default levels", List.of(), quiet.err());

    Run json = run(Map.of("DTSTREAM_LOG_FORMAT", "json", "DTSTREAM_LOG_LEVEL", "debug"),
        "analyze", "--input=" + rows, "--timeDomain=detector", "--summary");
    assertEquals(json.toString(), 0, json.code());
    assertEquals(quiet.out(), json.out());
    assertTrue("debug lines", json.err().size() > 10);
    ObjectMapper mapper = new ObjectMapper();
    for (String line : json.err()) {
      JsonNode event = mapper.readTree(line);
      assertTrue(line, event.path("log.level").isTextual() && event.path("message").isTextual());
    }

    Run unknown = run(Map.of("DTSTREAM_LOG_FORMAT", "xml"), "analyze", "--input=" + rows);
    assertEquals(unknown.toString(), 2, unknown.code());
    assertEquals(unknown.toString(), 1, unknown.err().size());
  }

  private static double t0(JsonNode chambers, int chamber) {
    return chambers.get(chamber).at("/quality/timeBox/t0Ns").asDouble();
  }

  /** The commands the launcher's usage lists: the lines after "Commands:" that start with two spaces and a name. */
  private List<String> commands() throws Exception {
    List<String> commands = new ArrayList<>();
    boolean inCommands = false;
    for (String line : run("--help").out()) {
      if (line.startsWith("Commands:")) {
        inCommands = true;
      } else if (inCommands && line.matches("  [a-z][a-z0-9-]* .*")) {
        commands.add(line.trim().split("\\s+")[0]);
      } else if (inCommands && line.isBlank()) {
        break;
      }
    }
    return commands;
  }

  private Run run(String... args) throws IOException, InterruptedException {
    return run(Map.of(), args);
  }

  private Run run(Map<String, String> environment, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
    command.addAll(List.of(args));
    Path out = temp.newFile().toPath();
    Path err = temp.newFile().toPath();
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    // the build at hand (this module's integration tests run after every module was packaged)
    builder.environment().put("DTSTREAM_BUILT", "yes");
    builder.environment().put("DTSTREAM_WORK", temp.newFolder().toString());
    builder.environment().remove("DTSTREAM_DEBUG");
    builder.environment().remove("DTSTREAM_LOG_LEVEL");
    builder.environment().remove("DTSTREAM_LOG_FORMAT");
    builder.environment().putAll(environment);
    Process process = builder.start();
    process.getOutputStream().close();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("dtstream " + String.join(" ", args) + " did not end");
    }
    return new Run(
        process.exitValue(),
        Files.readAllLines(out, StandardCharsets.UTF_8),
        Files.readAllLines(err, StandardCharsets.UTF_8));
  }
}
