package io.dtstream.testing;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import io.dtstream.contract.results.ResultMessage;
import java.util.Arrays;

/** Compares a results message with an independent count. */
public final class Comparisons {
  private Comparisons() {}

  public static void assertMatches(ReferenceCount.Totals expected, ResultMessage actual, boolean withMalformed) {
    ResultMessage.Counts c = actual.counts();
    assertEquals("rows", expected.rows, c.rows());
    assertEquals("hits", expected.hits, c.hits());
    assertEquals("ancillary", expected.ancillary, c.ancillary());
    assertEquals("malformed", withMalformed ? expected.malformed : 0, c.malformed());
    assertEquals("unmapped", expected.unmapped, c.unmapped());
    assertEquals("scintillator", expected.scintillator, c.scintillator());
    assertEquals("orbits", expected.orbits, c.orbits());
    assertEquals("scintillatorOrbits", expected.scintillatorOrbits, c.scintillatorOrbits());
    for (int ch = 0; ch < 4; ch++) {
      ResultMessage.Chamber chamber = actual.chambers().get(ch);
      assertEquals(ch, chamber.chamber());
      assertEquals(expected.chamberHits[ch], chamber.hits());
      assertArrayEquals(expected.occupancy[ch], chamber.occupancy().counts());
      assertArrayEquals(expected.activeChannels[ch], chamber.activeChannelsPerOrbit().counts());
      assertArrayEquals(expected.scintillatorOccupancy[ch], chamber.scintillatorOccupancy().counts());
      assertArrayEquals(expected.drift[ch], chamber.driftTime().counts());
      assertEquals(expected.underflow[ch], chamber.driftTime().underflow());
      assertEquals(expected.overflow[ch], chamber.driftTime().overflow());
      ResultMessage.RangeHistogram fine = chamber.driftTimeFine();
      assertEquals(expected.driftFine[ch][0], fine.underflow());
      assertArrayEquals(Arrays.copyOfRange(expected.driftFine[ch], 1, 241), fine.counts());
      assertEquals(expected.driftFine[ch][241], fine.overflow());
    }
  }

}
