package io.dtstream.injector;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import org.junit.Test;

public class OrbitPartitionsTest {
  private static final long NONE = OrbitPartitions.NO_ORBIT;

  @Test
  public void anOrbitHasOnePartitionAndConsecutiveOrbitsTakeThemInTurn() {
    OrbitPartitions partitions = new OrbitPartitions(3);
    assertEquals(0, partitions.next(3_387_200_010L));
    assertEquals(1, partitions.next(3_387_200_011L));
    assertEquals(0, partitions.next(3_387_200_010L)); // orbit 10 again, after a row of orbit 11
    assertEquals(2, partitions.next(3_387_200_012L));
    assertEquals(0, partitions.next(0xFFFF_FFFFL)); // the largest ORBIT_CNT
  }

  @Test
  public void recordsWithoutHitsGoWhereTheRecordBeforeWent() {
    OrbitPartitions partitions = new OrbitPartitions(4);
    assertEquals(0, partitions.next(NONE)); // an ancillary word first
    assertEquals(1, partitions.next(5));
    assertEquals(1, partitions.next(NONE)); // ancillary words or malformed rows between hits
    assertEquals(2, partitions.next(6));
  }

  @Test
  public void oneLineForATopicWithoutPartitions() {
    assertEquals(
        "a topic has at least one partition, not 0",
        assertThrows(IllegalArgumentException.class, () -> new OrbitPartitions(0)).getMessage());
  }
}
