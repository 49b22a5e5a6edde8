package io.dtstream.injector;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.dtstream.contract.results.ResultMessage;
import io.dtstream.pipeline.transforms.FormatResults;
import io.dtstream.quality.ChamberQuality;
import io.dtstream.quality.LayerEfficiency;
import io.dtstream.quality.Status;
import java.util.List;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The DQM fits find faults planted in the simulation: chamber 2's hits 12 ns late, chamber 0's
 * maximum drift time 430 ns instead of 390, chamber 1's layer 3 at 60 % efficiency. Rows go
 * through the pipeline's orbit closing and message, then the quality library, as in {@code
 * analyze --summary}.
 */
public class PlantedFaultsTest {
  private static final int ROWS = 300_000;
  private static List<ChamberQuality> planted;
  private static List<ChamberQuality> healthy;

  @BeforeClass
  public static void simulate() {
    planted = quality("sim:seed=5,delay.2=12,tmax.0=430,efficiency.1.3=0.6");
    healthy = quality("sim:seed=5");
  }

  private static List<ChamberQuality> quality(String spec) {
    ResultMessage message = FormatResults.message(DetectorSimulationTest.statsOf(spec, ROWS), 0, 1, "detector");
    return message.chambers().stream().map(ChamberQuality::of).toList();
  }

  private static double t0(List<ChamberQuality> chambers, int chamber) {
    assertEquals("chamber " + chamber + ": " + chambers.get(chamber), Status.ok, chambers.get(chamber).timeBox().status());
    return chambers.get(chamber).timeBox().t0Ns();
  }

  @Test
  public void aHealthyDetectorHasItsTimeBoxesAtZeroAndTheNominalTmax() {
    for (int c = 0; c < 4; c++) {
      ChamberQuality q = healthy.get(c);
      assertEquals("t0 of chamber " + c, 0, t0(healthy, c), 2);
      assertEquals("Tmax of chamber " + c, 390.3, q.timeBox().tMaxNs(), 3);
      assertEquals("drift velocity of chamber " + c, 53.8, q.timeBox().driftVelocityUmPerNs(), 0.5);
      assertTrue(q.timeBox().t0ErrorNs() > 0 && q.timeBox().t0ErrorNs() < 1);
      assertEquals(Status.ok, q.meanTimer().status());
      assertEquals("meantimer peak of chamber " + c, 390.3, q.meanTimer().peakNs(), 5);
      for (LayerEfficiency layer : q.layerEfficiency()) {
        assertTrue("chamber " + c + " " + layer, layer.tested() > 300);
        // 95 % per cell; one dead cell of 16 in chamber 0 layer 3, 1 layer 1 and 3 layer 2
        assertEquals("chamber " + c + " " + layer, 0.95, layer.efficiency(), 0.07);
      }
      assertTrue("resolution " + q.resolutionUm(), q.resolutionUm() > 50 && q.resolutionUm() < 400);
    }
  }

  @Test
  public void aChamberDelayedBy12NsHasItsT0ThatMuchLater() {
    for (int other : new int[] {0, 1, 3}) {
      double difference = t0(planted, 2) - t0(planted, other);
      assertEquals("t0 of chamber 2 minus chamber " + other, 12, difference, 2);
    }
  }

  @Test
  public void aLongerMaximumDriftTimeIsMeasured() {
    assertEquals(430, planted.get(0).timeBox().tMaxNs(), 4);
    assertEquals(21000 / 430.0, planted.get(0).timeBox().driftVelocityUmPerNs(), 0.5);
    assertEquals(430, planted.get(0).meanTimer().peakNs(), 6);
    assertEquals(390.3, planted.get(3).timeBox().tMaxNs(), 3);
  }

  @Test
  public void aLayerAt60PercentIsFoundAt60Percent() {
    LayerEfficiency layer3 = planted.get(1).layerEfficiency().get(2);
    assertEquals(3, layer3.layer());
    assertEquals(layer3.toString(), 0.6, layer3.efficiency(), 0.05);
    assertEquals(layer3.toString(), 0.95, planted.get(1).layerEfficiency().get(1).efficiency(), 0.05);
  }
}
