package io.dtstream.contract.model;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class ChambersAndClockTest {

  @Test
  public void chamberMappingFollowsTheCourseMapping() {
    assertEquals(0, Chambers.chamberOf(0, 0));
    assertEquals(0, Chambers.chamberOf(0, 63));
    assertEquals(1, Chambers.chamberOf(0, 64));
    assertEquals(1, Chambers.chamberOf(0, 127));
    assertEquals(2, Chambers.chamberOf(1, 0));
    assertEquals(2, Chambers.chamberOf(1, 63));
    assertEquals(3, Chambers.chamberOf(1, 64));
    assertEquals(3, Chambers.chamberOf(1, 127));
    assertEquals(Chambers.UNMAPPED, Chambers.chamberOf(0, 128));
    assertEquals(Chambers.UNMAPPED, Chambers.chamberOf(1, 138));
    assertEquals(2, Chambers.localChannel(66));
    assertEquals(63, Chambers.localChannel(127));
  }

  @Test
  public void onlyFpgaOneChannel128IsTheScintillator() {
    assertTrue(Chambers.isScintillator(1, 128));
    assertFalse(Chambers.isScintillator(0, 128));
    assertFalse(Chambers.isScintillator(1, 129));
    assertTrue(new Hit(1, 128, 1, 1, 1).isScintillator());
  }

  @Test
  public void ticksAreExactForTheLargestOrbit() {
    long orbit = 4294967295L;
    assertEquals((orbit * 3564 + 3563) * 30 + 31, DetectorClock.ticks(orbit, 3563, 31));
    assertEquals(459_217_903_288_321L, DetectorClock.ticks(orbit, 3563, 31));
    assertEquals(3563 * 30 + 31, new Hit(0, 0, orbit, 3563, 31).ticksInOrbit());
  }

  @Test
  public void rowTimeIsOrbitAndBxInMilliseconds() {
    // orbit 3387200947 starts at 3387200947 * 3564 * 25 ns = 301,799,604,377,700 ns.
    assertEquals(301_799_604L, DetectorClock.rowMillis(3387200947L, 0));
    assertEquals(301_799_604L, DetectorClock.rowMillis(3387200947L, 24_891));
    assertEquals(301_799_605L, DetectorClock.rowMillis(3387200947L, 24_892));
    assertEquals(0, DetectorClock.rowMillis(0, 39_999));
    assertEquals(1, DetectorClock.rowMillis(0, 40_000));
  }
}
