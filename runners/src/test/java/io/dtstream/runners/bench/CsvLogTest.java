package io.dtstream.runners.bench;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class CsvLogTest {
  @Rule public final TemporaryFolder temp = new TemporaryFolder();

  @Test
  public void columnsAddedAtTheEndWidenAnEarlierFile() throws Exception {
    Path file = temp.getRoot().toPath().resolve("throughput.csv");
    CsvLog.append(file, List.of("a", "b"), List.of(1, 2));
    CsvLog.append(file, List.of("a", "b", "c"), List.of(3, 4, 5));
    List<String> lines = Files.readAllLines(file);
    assertEquals("date,machine,a,b,c", lines.get(0));
    assertTrue(lines.get(1), lines.get(1).endsWith(",1,2,"));
    assertTrue(lines.get(2), lines.get(2).endsWith(",3,4,5"));
    assertEquals(lines.get(0).split(",", -1).length, lines.get(1).split(",", -1).length);
  }

  @Test
  public void aRenamedColumnTakesItsNewNameAndKeepsItsCells() throws Exception {
    Path file = temp.getRoot().toPath().resolve("latency.csv");
    CsvLog.append(file, List.of("runner", "sparkMaster", "rate"), List.of("SparkRunner", "local[2]", 1000));
    CsvLog.append(file, List.of("runner", "master", "rate", "lateRows"), List.of("FlinkRunner", "embedded", 1000, 0));
    List<String> lines = Files.readAllLines(file);
    assertEquals("date,machine,runner,master,rate,lateRows", lines.get(0));
    assertTrue(lines.get(1), lines.get(1).endsWith(",SparkRunner,local[2],1000,"));
    assertTrue(lines.get(2), lines.get(2).endsWith(",FlinkRunner,embedded,1000,0"));
  }
}
