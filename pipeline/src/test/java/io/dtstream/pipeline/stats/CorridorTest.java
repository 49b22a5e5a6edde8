package io.dtstream.pipeline.stats;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class CorridorTest {
  private static final double SLOPE = Math.tan(Math.toRadians(60));

  @Test
  public void threeStackedCellsReachHalfACellBeyondTheirSidesAbove() {
    // cells 0-42 mm at z = 6.5, 19.5, 32.5: the steepest lines go corner to corner, slope 42/26,
    // and cross z = 45.5 at 42 + 13 * 42/26 = 63 and at -21
    double[] reach = new double[2];
    assertTrue(Corridor.reach(new double[] {6.5, 19.5, 32.5}, new double[] {0, 0, 0}, new double[] {42, 42, 42}, SLOPE, 45.5, reach));
    assertArrayEquals(new double[] {-21, 63}, reach, 1e-9);
    // between them, a line can only be inside the cells
    assertTrue(Corridor.reach(new double[] {6.5, 32.5, 45.5}, new double[] {0, 0, 0}, new double[] {42, 42, 42}, SLOPE, 19.5, reach));
    assertArrayEquals(new double[] {0, 42}, reach, 1e-9);
  }

  @Test
  public void theSlopeLimitBoundsTheReach() {
    // two cells side by side one layer apart need a slope of at least 0/13 and at most 84/13: the
    // limit of 60 degrees cuts it to 1.732
    double[] reach = new double[2];
    assertTrue(Corridor.reach(new double[] {0, 13}, new double[] {0, 42}, new double[] {42, 84}, SLOPE, 26, reach));
    assertArrayEquals(new double[] {42, 42 + 26 * SLOPE}, reach, 1e-9);
  }

  @Test
  public void cellsNoStraightLineJoinsHaveNoReach() {
    assertFalse(Corridor.reach(new double[] {6.5, 19.5, 32.5}, new double[] {0, 500, 0}, new double[] {42, 542, 42}, SLOPE, 45.5, new double[2]));
  }
}
