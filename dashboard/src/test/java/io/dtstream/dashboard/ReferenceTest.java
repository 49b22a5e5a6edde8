package io.dtstream.dashboard;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.dtstream.contract.cli.CommandKit;
import io.dtstream.quality.Compatibility;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** A reference run: read from analyze's output, compared with the live views, judged against. */
public class ReferenceTest {
  private static final Instant T = Instant.parse("2026-12-02T10:00:00Z");
  private static final long[] FOUND = {95, 95, 95, 95};

  @Rule public final TemporaryFolder temp = new TemporaryFolder();

  private static String message(int i, double[] t0Ns, int seed) {
    Instant start = T.plus(TestWindows.LENGTH.multipliedBy(i));
    return TestWindows.withPhysics(TestWindows.message(start, TestWindows.flat(2, 2, 2, 2), 0), seed, 800, t0Ns, FOUND).toString();
  }

  private static List<WindowResults> windows(int count, double[] t0Ns, int seed) throws Exception {
    List<WindowResults> windows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      windows.add(WindowResults.parse(null, message(i, t0Ns, seed + i)));
    }
    return windows;
  }

  /** A reference file of {@code count} windows, one message per line, as plain analyze writes. */
  private Path referenceFile(int count, double[] t0Ns) throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      lines.add(message(i, t0Ns, 1_000 + i));
    }
    lines.add(""); // a blank line is skipped
    Path file = temp.newFile().toPath();
    Files.write(file, lines);
    return file;
  }

  private static Set<String> failing(List<AlarmJournal.Verdict> verdicts) {
    Set<String> ids = new TreeSet<>();
    verdicts.stream().filter(AlarmJournal.Verdict::failing).forEach(v -> ids.add(v.kind() + "/" + v.chamber()));
    return ids;
  }

  @Test
  public void aLateChamberIsTheOneIncompatibleWithTheReferenceAndTheOneWhoseT0Fails() throws Exception {
    Reference reference = Reference.load(referenceFile(40, new double[] {0, 0, 0, 0}));
    assertEquals(40, reference.windows());
    assertEquals(40L * 800, Arrays.stream(reference.chamber(3).driftTimeFine().counts()).sum());

    QualityView view = QualityView.of(QualityView.Kind.rolling, windows(12, new double[] {0, 0, 15, 0}, 1), List.of(), reference);
    for (QualityView.ChamberResult chamber : view.chambers()) {
      Compatibility box = chamber.reference().comparisons().get(Compatibility.Compared.driftTimeFine.ordinal());
      assertEquals("driftTimeFine", box.histogram());
      assertEquals(12L * 800, box.entries());
      assertEquals("chamber " + chamber.chamber(), chamber.chamber() == 2 ? Compatibility.Level.error : Compatibility.Level.ok, box.status());
      // flat occupancies on both sides; no meantimer entries at all
      assertEquals(Compatibility.Level.ok, chamber.reference().comparisons().get(0).status());
      assertEquals(Compatibility.Level.insufficient, chamber.reference().comparisons().get(2).status());
      // the overlays: the time box scaled to the view's entries, the occupancy as shares
      assertEquals(12.0 * 800, Arrays.stream(chamber.reference().driftTimeFine()).sum(), 1e-6);
      assertEquals(1, Arrays.stream(chamber.reference().occupancyShare()).sum(), 1e-12);
      assertEquals(1.0 / 64, chamber.reference().occupancyShare()[17], 1e-12);
    }
    assertEquals(Set.of("reference/2", "t0/2"), failing(new QualityTests(5, 10, 0.9, 100).verdicts(view)));
  }

  @Test
  public void t0AndTmaxAreJudgedAgainstTheReferenceRunsFits() throws Exception {
    // every chamber of the reference sits 10 ns late, and so does the run: nothing fails
    double[] late = {10, 10, 10, 10};
    Reference reference = Reference.load(referenceFile(20, late));
    QualityView view = QualityView.of(QualityView.Kind.rolling, windows(12, late, 1), List.of(), reference);
    List<AlarmJournal.Verdict> verdicts = new QualityTests(5, 10, 0.9, 100).verdicts(view);
    assertEquals(Set.of(), failing(verdicts));
    AlarmJournal.Verdict t0 = verdicts.stream().filter(v -> v.kind().equals("t0")).findFirst().orElseThrow();
    assertTrue(t0.message(), t0.message().matches("chamber 0: t0 1\\d\\.\\d ± \\d\\.\\d ns, reference 1\\d\\.\\d ns, tolerance 5\\.0 ns"));
    // without the reference the same run's t0 is 10 ns off nominal
    QualityView alone = QualityView.of(QualityView.Kind.rolling, windows(12, late, 1));
    assertEquals(Set.of("t0/0", "t0/1", "t0/2", "t0/3"), failing(new QualityTests(5, 10, 0.9, 100).verdicts(alone)));
  }

  @Test
  public void aFileThatIsNoReferenceIsOneLineNamingIt() throws Exception {
    Path missing = temp.getRoot().toPath().resolve("missing.json");
    Path empty = temp.newFile("empty.json").toPath();
    Path notJson = Files.writeString(temp.newFile("text.json").toPath(), "HEAD,FPGA\n2,0,1,2,3,4\n");
    Path otherSchema = Files.writeString(temp.newFile("schema2.json").toPath(), message(0, new double[4], 1).replace("\"schema\":1", "\"schema\":2"));
    Path binary = Files.write(temp.newFile("binary.json").toPath(), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
    Path folder = temp.newFolder("folder").toPath();
    for (Path bad : List.of(missing, empty, notJson, otherSchema, binary, folder)) {
      IllegalArgumentException e = assertThrows(bad.toString(), IllegalArgumentException.class, () -> Reference.load(bad));
      assertTrue(e.getMessage(), e.getMessage().startsWith("--reference: ") && e.getMessage().contains(bad.toString()));
      assertEquals(e.getMessage(), 1, e.getMessage().lines().count());
    }
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Reference.load(otherSchema)).getMessage().contains("$.schema: expected 1, got 2"));

    // through the command line: one line on stderr, exit 2, before anything is served
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = CommandKit.execute("dtstream dashboard", new Dashboard(), new String[] {"--port=0", "--reference=" + missing}, Dashboard.RENAMED);
    } finally {
      System.setErr(err);
    }
    assertEquals(2, code);
    List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(lines.toString(), 1, lines.size());
    assertTrue(lines.get(0), lines.get(0).startsWith("dtstream dashboard: --reference: no such file: " + missing));
  }
}
