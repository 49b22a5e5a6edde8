package io.dtstream.dashboard;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import io.dtstream.quality.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/** The dashboard's quality views: the shared fits over the windows' histograms added up. */
public class QualityViewTest {
  private static final Instant T = Instant.parse("2026-12-02T10:00:00Z");

  private static List<WindowResults> windows(int count, double[] t0Ns, long[] found) throws Exception {
    List<WindowResults> windows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Instant start = T.plus(TestWindows.LENGTH.multipliedBy(i));
      String json = TestWindows.withPhysics(TestWindows.message(start, TestWindows.flat(1, 1, 1, 1), 0), i, 800, t0Ns, found).toString();
      windows.add(WindowResults.parse(start.toString(), json));
    }
    return windows;
  }

  @Test
  public void theCumulativeViewFitsWhatNoWindowAloneCould() throws Exception {
    List<WindowResults> windows = windows(10, new double[] {0, 0, 15, 0}, new long[] {95, 60, 95, 95});
    QualityView one = QualityView.of(QualityView.Kind.rolling, windows.subList(9, 10));
    assertEquals(Status.insufficient, one.chambers().get(0).quality().timeBox().status());

    QualityView all = QualityView.of(QualityView.Kind.cumulative, windows);
    assertEquals("cumulative", all.view());
    assertEquals(10, all.windows());
    assertEquals(T.toString(), all.from());
    assertEquals(T.plus(TestWindows.LENGTH.multipliedBy(10)).toString(), all.to());
    double t0 = all.chambers().get(0).quality().timeBox().t0Ns();
    assertEquals(0, t0, 1.5);
    assertEquals(15, all.chambers().get(2).quality().timeBox().t0Ns() - t0, 1.5);
    assertEquals(390, all.chambers().get(3).quality().timeBox().tMaxNs(), 2);
    assertEquals(0.6, all.chambers().get(1).quality().layerEfficiency().get(2).efficiency(), 1e-9);
    assertEquals(1000, all.chambers().get(1).quality().layerEfficiency().get(2).tested());
  }

  @Test
  public void windowsOfAnOlderPipelineHaveNoFitsAndNoView() throws Exception {
    Instant start = T;
    WindowResults older = WindowResults.parse(start.toString(), TestWindows.json(start, TestWindows.flat(1, 1, 1, 1), 0));
    QualityView view = QualityView.of(QualityView.Kind.rolling, List.of(older, older));
    assertEquals(Status.insufficient, view.chambers().get(0).quality().timeBox().status());
    assertNull(view.chambers().get(0).quality().layerEfficiency().get(0).efficiency());
    QualityView none = QualityView.of(QualityView.Kind.cumulative, List.of());
    assertEquals(0, none.windows());
    assertEquals(4, none.chambers().size());
    assertEquals(3, none.chambers().get(3).chamber());
    assertEquals(Status.insufficient, none.chambers().get(3).quality().meanTimer().status());
  }
}
