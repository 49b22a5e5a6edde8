package io.dtstream.runners.bench;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class StudyReportTest {
  private static final String THROUGHPUT_HEADER = "date,machine,runner,master,partitions,rowsPerMessage,"
      + "windowSeconds,rows,rowsPerSecond,ceilingRowsPerSecond,ratio,exact,heapPeakMb";
  // An extra column in front of the writer's: cells are found by name, not position. And the
  // master column under its earlier name, as files written before the FlinkRunner had one have it.
  private static final String LATENCY_HEADER = "note,date,machine,runner,sparkMaster,partitions,rowsPerMessage,"
      + "windowSeconds,rate,windows,p50Seconds,p99Seconds,maxSeconds,keepsUp,heapPeakMb";

  private static final List<String> THROUGHPUT_ROWS = List.of(
      // The baseline, measured twice: the plots use the later one, the table shows both.
      "2026-11-22T09:00:00Z,2 cores,SparkRunner,local[2],4,100,5,1000000,41000,880000,0.047,true,600",
      "2026-11-23T11:02:03Z,2 cores,SparkRunner,local[2],4,100,5,1000000,52000,900000,0.058,true,640",
      "2026-11-23T11:10:00Z,2 cores,SparkRunner,local[2],1,100,5,1000000,23000,410000,0.056,true,610",
      "2026-11-23T11:20:00Z,2 cores,SparkRunner,local[2],16,100,5,1000000,61000,1250000,0.049,true,700",
      "2026-11-23T11:30:00Z,2 cores,SparkRunner,local[1],4,100,5,1000000,30500,870000,0.035,true,520",
      "2026-11-23T11:40:00Z,2 cores,SparkRunner,spark://127.0.0.1:7077 (1 worker),4,100,5,1000000,47000,860000,0.055,false,900",
      "2026-11-23T11:50:00Z,2 cores,SparkRunner,local[2],4,1,5,200000,9100,120000,0.076,true,650",
      "2026-11-23T12:00:00Z,2 cores,DirectRunner,-,4,1,5,200000,3300,125000,0.026,true,1200",
      "2026-11-23T12:10:00Z,2 cores,DirectRunner,-,4,100,5,1000000,17000,905000,0.019,true,1500",
      "2026-11-24T08:00:00Z,2 cores,SparkRunner,local[2],4,100,1,1000000,38000,890000,0.043,true,660",
      "2026-11-24T08:10:00Z,2 cores,FlinkRunner,embedded,4,100,5,1000000,330000,880000,0.375,true,170",
      "2026-11-24T08:20:00Z,2 cores,FlinkRunner,cluster 1x2,4,100,5,1000000,210000,870000,0.241,true,90");

  private static final List<String> LATENCY_ROWS = List.of(
      ",2026-11-24T09:00:00Z,2 cores,SparkRunner,local[2],4,1,5,1000,9,2.1,3.4,3.9,true,500",
      ",2026-11-24T09:01:00Z,2 cores,SparkRunner,local[2],4,1,5,5000,9,2.6,4.2,4.8,true,520",
      "slow,2026-11-24T09:02:00Z,2 cores,SparkRunner,local[2],4,1,5,20000,9,14.5,27.25,31.0,false,800",
      ",2026-11-24T09:10:00Z,2 cores,DirectRunner,-,4,10,5,1000,9,1.2,1.9,2.2,true,900",
      ",2026-11-24T09:05:00Z,2 cores,FlinkRunner,embedded,4,1,5,1000,11,0.95,1.45,1.45,true,260",
      ",2026-11-24T09:11:00Z,2 cores,DirectRunner,-,4,10,5,5000,8,7.75,12.5,13.0,false,1400");

  private static final List<String> ALL_PLOTS = List.of("window-delay-vs-rate.png", "throughput-vs-partitions.png",
      "throughput-vs-parallelism.png", "throughput-vs-rows-per-message.png", "throughput-vs-window.png");

  @Rule public TemporaryFolder temp = new TemporaryFolder();

  @Test
  public void writesEveryPlotAndBothTables() throws IOException {
    Path csv = temp.newFolder("csv").toPath();
    write(csv.resolve("throughput.csv"), THROUGHPUT_HEADER, THROUGHPUT_ROWS);
    write(csv.resolve("latency.csv"), LATENCY_HEADER, LATENCY_ROWS);
    Path out = temp.getRoot().toPath().resolve("report");

    List<Path> written = StudyReport.write(csv, out);

    for (String plot : ALL_PLOTS) {
      assertTrue(plot + " in " + written, written.contains(out.resolve(plot)));
      BufferedImage image = ImageIO.read(out.resolve(plot).toFile());
      assertNotNull(plot + " is not a readable PNG", image);
      assertEquals(800, image.getWidth());
      assertEquals(500, image.getHeight());
    }
    assertTrue(written.contains(out.resolve("README.md")));
    assertEquals(ALL_PLOTS.size() + 1, written.size());

    String readme = Files.readString(out.resolve("README.md"));
    assertThat(readme, containsString("2026-11-22 to 2026-11-24, 2 cores"));
    for (String plot : ALL_PLOTS) {
      assertThat(readme, containsString("](" + plot + ")"));
    }
    // Every row of both tables, by its key numbers, human-formatted.
    for (String row : List.of(
        "| 41,000 | 880,000 | 0.047 |", "| 52,000 | 900,000 | 0.058 |", "| 23,000 | 410,000 |",
        "| 61,000 | 1,250,000 |", "| 30,500 | 870,000 |", "| 47,000 | 860,000 | 0.055 | **no** | 900 |",
        "| 9,100 | 120,000 |", "| 3,300 | 125,000 |", "| 17,000 | 905,000 |", "| 38,000 | 890,000 |",
        "| 1,000 | 9 | 2.10 | 3.40 | 3.90 | yes | 500 |", "| 5,000 | 9 | 2.60 | 4.20 | 4.80 | yes | 520 |",
        "| 20,000 | 9 | 14.50 | 27.25 | 31.00 | **no** | 800 |", "| 1,000 | 9 | 1.20 | 1.90 | 2.20 | yes | 900 |",
        "| 5,000 | 8 | 7.75 | 12.50 | 13.00 | **no** | 1,400 |",
        "| FlinkRunner | embedded | 4 | 100 | 5 | 1,000,000 | 330,000 |",
        "| FlinkRunner | cluster 1x2 | 4 | 100 | 5 | 1,000,000 | 210,000 |",
        "| FlinkRunner | embedded | 4 | 1 | 5 | 1,000 | 11 | 0.95 | 1.45 | 1.45 | yes | 260 |")) {
      assertThat(readme, containsString(row));
    }
    assertThat(readme, containsString(
        "| 2026-11-23T11:02:03Z | SparkRunner | local[2] | 4 | 100 | 5 | 1,000,000 | 52,000 | 900,000 |"));
    // Sorted by setup: DirectRunner before SparkRunner, 1 partition before 4 before 16.
    assertTrue(readme.indexOf("| 17,000 |") < readme.indexOf("| 23,000 |"));
    assertTrue(readme.indexOf("| 23,000 |") < readme.indexOf("| 52,000 |"));
    assertTrue(readme.indexOf("| 52,000 |") < readme.indexOf("| 61,000 |"));
    assertThat(readme, not(containsString("skipped")));
  }

  @Test
  public void missingLatencyFileSkipsTheDelayPlot() throws IOException {
    Path csv = temp.newFolder("csv").toPath();
    write(csv.resolve("throughput.csv"), THROUGHPUT_HEADER, THROUGHPUT_ROWS);
    Path out = temp.getRoot().toPath().resolve("report");

    List<Path> written = StudyReport.write(csv, out);

    assertTrue(Files.exists(out.resolve("throughput-vs-partitions.png")));
    assertTrue(!Files.exists(out.resolve("window-delay-vs-rate.png")));
    assertTrue(!written.contains(out.resolve("window-delay-vs-rate.png")));
    String readme = Files.readString(out.resolve("README.md"));
    assertThat(readme, containsString("Window delay vs input rate: skipped"));
    assertThat(readme, not(containsString("(window-delay-vs-rate.png)")));
    assertThat(readme, containsString("](throughput-vs-window.png)"));
  }

  @Test
  public void aPlotWithoutBaselineRowsIsSkipped() throws IOException {
    Path csv = temp.newFolder("csv").toPath();
    // Only runs off the baseline's window size: no partitions or parallelism sweep to draw.
    write(csv.resolve("throughput.csv"), THROUGHPUT_HEADER, List.of(THROUGHPUT_ROWS.get(9)));
    Path out = temp.getRoot().toPath().resolve("report");

    List<Path> written = StudyReport.write(csv, out);

    assertEquals(List.of(out.resolve("throughput-vs-window.png"), out.resolve("README.md")), written);
    String readme = Files.readString(out.resolve("README.md"));
    assertThat(readme, containsString("Throughput vs Kafka partitions: skipped"));
    assertThat(readme, containsString("| 38,000 | 890,000 |"));
  }

  @Test
  public void aLineWithMissingFieldsIsNamed() throws IOException {
    Path csv = temp.newFolder("csv").toPath();
    write(csv.resolve("throughput.csv"), THROUGHPUT_HEADER,
        List.of(THROUGHPUT_ROWS.get(0), "2026-11-23T11:02:03Z,2 cores,SparkRunner,local[2],4,100"));
    Path out = temp.getRoot().toPath().resolve("report");

    IOException error = assertThrows(IOException.class, () -> StudyReport.write(csv, out));

    assertThat(error.getMessage(), containsString("throughput.csv line 3"));
    assertTrue("nothing written on bad input", !Files.exists(out.resolve("README.md")));
  }

  @Test
  public void aBadNumberIsNamedWithItsLineAndColumn() throws IOException {
    Path csv = temp.newFolder("csv").toPath();
    write(csv.resolve("latency.csv"), LATENCY_HEADER, List.of(LATENCY_ROWS.get(0), LATENCY_ROWS.get(1).replace(",2.6,", ",fast,")));
    Path out = temp.getRoot().toPath().resolve("report");

    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> StudyReport.write(csv, out));

    assertThat(error.getMessage(), containsString("latency.csv line 3"));
    assertThat(error.getMessage(), containsString("p50Seconds"));
  }

  @Test
  public void aHeaderWithoutAColumnIsNamed() throws IOException {
    Path csv = temp.newFolder("csv").toPath();
    write(csv.resolve("throughput.csv"), THROUGHPUT_HEADER.replace(",rowsPerSecond", ""), List.of());

    IOException error = assertThrows(IOException.class, () -> StudyReport.write(csv, temp.getRoot().toPath()));

    assertThat(error.getMessage(), containsString("throughput.csv line 1"));
    assertThat(error.getMessage(), containsString("rowsPerSecond"));
  }

  private static void write(Path file, String header, List<String> rows) throws IOException {
    Files.writeString(file, header + "\n" + String.join("\n", rows) + "\n");
  }
}
