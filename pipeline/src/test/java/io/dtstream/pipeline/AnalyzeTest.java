package io.dtstream.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assume.assumeTrue;

import io.dtstream.contract.results.ResultMessage;
import io.dtstream.pipeline.testing.ResultsSchema;
import io.dtstream.testing.CommandRun;
import io.dtstream.testing.Comparisons;
import io.dtstream.testing.ReferenceCount;
import io.dtstream.testing.RowGenerator;
import io.dtstream.testing.SharedData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class AnalyzeTest {
  private static final String SAMPLE = "mapd_minidt_stream_data_000000_first74rows.csv";

  @Rule public final TemporaryFolder temp = new TemporaryFolder();

  private static CommandRun analyze(String... args) {
    return CommandRun.of(() -> Cli.run("analyze", args, Analyze.Options.class, Analyze::analyze));
  }

  private static List<ResultMessage> messages(CommandRun run) throws IOException {
    assertEquals(run.stderr(), 0, run.exitCode());
    List<ResultMessage> messages = new ArrayList<>();
    for (String line : run.stdout()) {
      ResultsSchema.assertValid(line);
      messages.add(ResultMessage.fromJson(line));
    }
    return messages;
  }

  private static long[] counts(ResultMessage.Histogram h) {
    return h.counts();
  }

  @Test
  public void sampleFileGivesTheFiguresCountedByHand() throws IOException {
    Optional<Path> sample = SharedData.find(SAMPLE);
    assumeTrue("skipped: ../shared/data/" + SAMPLE + " is not present", sample.isPresent());

    List<ResultMessage> summary =
        messages(analyze("--input=" + sample.get(), "--timeDomain=detector", "--summary"));
    assertEquals(1, summary.size());
    ResultMessage m = summary.get(0);
    // HEAD counts of the file: 0:7 1:7 2:38 3:7 4:8 5:7
    assertEquals(74, m.counts().rows());
    assertEquals(38, m.counts().hits());
    assertEquals(7 + 7 + 7 + 8 + 7, m.counts().ancillary());
    assertEquals(0, m.counts().malformed());
    // One hit on FPGA 1 channel 138, no scintillator; hits in 20 distinct orbits.
    assertEquals(1, m.counts().unmapped());
    assertEquals(0, m.counts().scintillator());
    assertEquals(20, m.counts().orbits());
    assertEquals(0, m.counts().scintillatorOrbits());
    long[] chamberHits = m.chambers().stream().mapToLong(ResultMessage.Chamber::hits).toArray();
    assertArrayEquals(new long[] {1, 19, 8, 9}, chamberHits);
    // Channel 66 of FPGA 0 (chamber 1, local channel 2) is the noisy one, with 8 hits.
    assertEquals(8, counts(m.chambers().get(1).occupancy())[2]);
    // Active channels per orbit: ch0 {1:1}, ch1 {1:14, 2:1, 3:1}, ch2 {1:4, 4:1}, ch3 {1:1, 4:2}
    long[][] active = {new long[64], new long[64], new long[64], new long[64]};
    active[0][0] = 1;
    active[1][0] = 14;
    active[1][1] = 1;
    active[1][2] = 1;
    active[2][0] = 4;
    active[2][3] = 1;
    active[3][0] = 1;
    active[3][3] = 2;
    for (int c = 0; c < 4; c++) {
      assertArrayEquals("chamber " + c, active[c], counts(m.chambers().get(c).activeChannelsPerOrbit()));
    }
    // The window spans the earliest hit (orbit 3387200947, BX 2922) to the latest ancillary
    // word (orbit 3387340005, BX 1613).
    assertEquals(Instant.ofEpochMilli((3387200947L * 3564 + 2922) * 25 / 1_000_000), Instant.parse(m.window().start()));
    assertEquals(Instant.ofEpochMilli((3387340005L * 3564 + 1613) * 25 / 1_000_000), Instant.parse(m.window().end()));

    List<ResultMessage> windows =
        messages(analyze("--input=" + sample.get(), "--timeDomain=detector", "--windowSeconds=5"));
    assertEquals(38, windows.stream().mapToLong(w -> w.counts().hits()).sum());
    assertEquals(74, windows.stream().mapToLong(w -> w.counts().rows()).sum());
  }

  @Test
  public void totalsAndWindowsMatchAnIndependentCount() throws IOException {
    List<String> lines = RowGenerator.generate(42, 20_000, 23);
    Path input = temp.newFile("rows.csv").toPath();
    Files.write(input, lines, StandardCharsets.UTF_8);
    ReferenceCount reference = ReferenceCount.of(lines, 5_000);

    List<ResultMessage> summary =
        messages(analyze("--input=" + input, "--timeDomain=detector", "--summary"));
    assertEquals(1, summary.size());
    Comparisons.assertMatches(reference.total, summary.get(0), true);

    List<ResultMessage> windows =
        messages(analyze("--input=" + input, "--timeDomain=detector", "--windowSeconds=5"));
    assertEquals(reference.windows.size(), windows.size());
    int i = 0;
    for (Map.Entry<Long, ReferenceCount.Totals> expected : reference.windows.entrySet()) {
      ResultMessage window = windows.get(i++);
      assertEquals(Instant.ofEpochMilli(expected.getKey()), Instant.parse(window.window().start()));
      assertEquals(
          Instant.ofEpochMilli(expected.getKey() + 5_000), Instant.parse(window.window().end()));
      Comparisons.assertMatches(expected.getValue(), window, false);
    }
  }

  @Test
  public void theSummaryHasEachChambersQualityAndTheWindowsHaveNone() throws IOException {
    Path input = temp.newFile("quality.csv").toPath();
    Files.write(input, RowGenerator.generate(42, 20_000, 23), StandardCharsets.UTF_8);
    CommandRun summary = analyze("--input=" + input, "--timeDomain=detector", "--summary");
    messages(summary); // valid: the schema knows quality
    com.fasterxml.jackson.databind.JsonNode message = new com.fasterxml.jackson.databind.ObjectMapper().readTree(summary.stdout().get(0));
    for (int c = 0; c < 4; c++) {
      com.fasterxml.jackson.databind.JsonNode quality = message.at("/chambers/" + c + "/quality");
      // random rows: no time box to fit (too few entries, or no edges), and nothing on a track
      assertThat(quality.toString(), quality.at("/timeBox/status").asText(), org.hamcrest.Matchers.oneOf("insufficient", "failed"));
      assertEquals(quality.toString(), true, quality.at("/timeBox/t0Ns").isNull());
      assertEquals(4, quality.path("layerEfficiency").size());
      assertEquals(true, quality.has("resolutionUm"));
    }
    CommandRun windows = analyze("--input=" + input, "--timeDomain=detector", "--windowSeconds=5");
    assertThat(String.join("\n", windows.stdout()), not(containsString("\"quality\"")));
  }

  @Test
  public void generatedDataExercisesEveryQuantity() {
    ReferenceCount reference = ReferenceCount.of(RowGenerator.generate(42, 20_000, 23), 5_000);
    ReferenceCount.Totals t = reference.total;
    assertThat(reference.windows.size(), org.hamcrest.Matchers.greaterThan(4));
    for (long n : new long[] {t.malformed, t.ancillary, t.unmapped, t.scintillatorOrbits, t.underflow[0] + t.overflow[0] + t.underflow[3]}) {
      assertThat(n, org.hamcrest.Matchers.greaterThan(0L));
    }
  }

  @Test
  public void emptyInputGivesAnAllZeroSummary() throws IOException {
    Path input = temp.newFile("empty.csv").toPath();
    Files.writeString(input, "HEAD,FPGA,TDC_CHANNEL,ORBIT_CNT,BX_COUNTER,TDC_MEAS\n\n");
    List<ResultMessage> summary =
        messages(analyze("--input=" + input, "--timeDomain=detector", "--summary"));
    assertEquals(1, summary.size());
    assertEquals(0, summary.get(0).counts().rows());
    assertEquals(List.of(), messages(analyze("--input=" + input, "--timeDomain=detector")));
  }

  @Test
  public void aMissingFileIsOneLineAndExitCodeTwo() {
    CommandRun run = analyze("--input=" + temp.getRoot() + "/no-such-file.csv", "--timeDomain=detector");
    assertEquals(2, run.exitCode());
    assertEquals(List.of(), run.stdout());
    assertThat(run.stderr(), containsString("no file matches"));
    assertEquals(1, run.stderr().strip().lines().count());
  }

  @Test
  public void unreadableInputIsOneLineAndNonZeroExit() throws IOException {
    ByteArrayOutputStream gzip = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gzip)) {
      out.write(String.join("\n", RowGenerator.generate(1, 5_000, 5)).getBytes(StandardCharsets.UTF_8));
    }
    Path truncated = temp.newFile("rows.csv.gz").toPath();
    Files.write(truncated, Arrays.copyOf(gzip.toByteArray(), gzip.size() / 2));
    CommandRun run = analyze("--input=" + truncated, "--timeDomain=detector");
    assertThat(run.exitCode(), not(0));
    assertEquals(List.of(), run.stdout());
    assertThat(run.stderr(), containsString("dtstream analyze:"));
    assertEquals(run.stderr(), 1, run.stderr().strip().lines().count());
  }

  @Test
  public void aFolderMeansAllFilesInIt() throws IOException {
    Path folder = temp.newFolder("runs").toPath();
    Files.writeString(folder.resolve("data_000000.txt"), "2,0,1,100,1,1\n2,0,2,100,1,1\n");
    Files.writeString(folder.resolve("data_000001.txt"), "HEAD,FPGA,TDC_CHANNEL,ORBIT_CNT,BX_COUNTER,TDC_MEAS\n4,0,0,101,0,-0.5\n");
    ResultMessage summary =
        messages(analyze("--input=" + folder, "--timeDomain=detector", "--summary")).get(0);
    assertEquals(3, summary.counts().rows());
    assertEquals(2, summary.counts().hits());
    assertEquals(1, summary.counts().orbits());
    assertEquals(1, summary.chambers().get(0).activeChannelsPerOrbit().counts()[1]);
  }

  @Test
  public void badOptionsAreOneLineAndExitCodeTwo() {
    CommandRun run = analyze("--input=x.csv", "--timeDomain=sideways");
    assertEquals(2, run.exitCode());
    assertThat(run.stderr(), containsString("--help"));
    assertEquals(2, analyze("--timeDomain=detector").exitCode());
    assertEquals(2, analyze("--input=x.csv", "--windowSeconds=0").exitCode());
    CommandRun remote = analyze("--input=s3://mapd-minidt-stream/", "--timeDomain=detector");
    assertEquals(2, remote.exitCode());
    assertEquals(remote.stderr(), 1, remote.stderr().strip().lines().count());
    assertThat(remote.stderr(), containsString("analyze reads local files"));
  }
}
