package io.dtstream.pipeline.kafka;

import static org.junit.Assert.assertEquals;

import io.dtstream.contract.model.DetectorClock;
import io.dtstream.pipeline.TimeDomain;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaTimestampType;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicy.PartitionContext;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.kafka.common.TopicPartition;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Test;

/**
 * The watermark of a partition, by what its reader knows of the partition's end and by the wall
 * clock (the test's own, moved by hand).
 */
public class EventTimePolicyFactoryTest {
  private static final Duration SLACK = Duration.millis(500);
  private static final Duration IDLE = Duration.standardSeconds(3);
  private static final Duration WINDOW = Duration.standardSeconds(5);
  private static final long UNKNOWN = -1; // KafkaIO's backlog before it has seen the partition's end
  private static final Instant T0 = Instant.parse("2026-12-03T12:00:00Z");

  private final MovingClock wall = new MovingClock(T0);

  private TimestampPolicy<byte[], byte[]> policy(TimeDomain timeDomain, Duration idleAfter) {
    return new EventTimePolicyFactory(
            timeDomain,
            SLACK,
            idleAfter,
            WINDOW,
            Duration.standardSeconds(150),
            Duration.standardSeconds(300),
            wall)
        .createTimestampPolicy(new TopicPartition("raw", 0), Optional.empty());
  }

  private TimestampPolicy<byte[], byte[]> policy() {
    return policy(TimeDomain.ingest, Duration.standardSeconds(600)); // never idle within a test
  }

  /** The reader looks at the partition's end once a second, finding {@code backlog} records to read. */
  private Instant lookEverySecondFor(int seconds, TimestampPolicy<byte[], byte[]> policy, long backlog) {
    Instant watermark = null;
    for (int i = 0; i < seconds; i++) {
      wall.advance(Duration.standardSeconds(1));
      watermark = policy.getWatermark(context(backlog, wall.now()));
    }
    return watermark;
  }

  /** A wall clock that stands still until a test moves it. */
  private static final class MovingClock extends Clock {
    private long millis;

    MovingClock(Instant start) {
      millis = start.getMillis();
    }

    void advance(Duration duration) {
      millis += duration.getMillis();
    }

    Instant now() {
      return new Instant(millis);
    }

    @Override
    public long millis() {
      return millis;
    }

    @Override
    public java.time.Instant instant() {
      return java.time.Instant.ofEpochMilli(millis);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  /** A reader's view: {@code backlog} records behind the end it saw at {@code checkedAt}. */
  private static PartitionContext context(long backlog, Instant checkedAt) {
    return new PartitionContext() {
      @Override
      public long getMessageBacklog() {
        return backlog;
      }

      @Override
      public Instant getBacklogCheckTime() {
        return checkedAt;
      }
    };
  }

  private static KafkaRecord<byte[], byte[]> record(Instant timestamp) {
    return record(timestamp, "2,0,1,1,1,1");
  }

  private static KafkaRecord<byte[], byte[]> record(Instant timestamp, String rows) {
    return new KafkaRecord<>(
        "raw", 0, 0, timestamp.getMillis(), KafkaTimestampType.CREATE_TIME, null,
        KV.of(new byte[0], rows.getBytes(StandardCharsets.UTF_8)));
  }

  /** A hit row at this orbit, and its detector time. */
  private static String hit(long orbit) {
    return "2,0,1," + orbit + ",1,1";
  }

  private static Instant timeOf(long orbit) {
    return new Instant(DetectorClock.rowMillis(orbit, 1));
  }

  @Test
  public void rowsBehindTheEndKeepTheWatermarkASlackBehindTheLatestRow() {
    TimestampPolicy<byte[], byte[]> policy = policy();
    PartitionContext behind = context(1_000, T0);
    Instant row = T0.minus(Duration.standardSeconds(30));
    assertEquals(row, policy.getTimestampForRecord(behind, record(row)));
    assertEquals(row.minus(SLACK), policy.getWatermark(behind));
    assertEquals("the end unknown", row.minus(SLACK), policy.getWatermark(context(UNKNOWN, T0)));
  }

  @Test
  public void aReaderAtThePartitionsEndFollowsTheTimeItLookedLessTheSlack() {
    TimestampPolicy<byte[], byte[]> policy = policy();
    policy.getTimestampForRecord(context(0, T0), record(T0));
    Instant looked = lookEverySecondFor(12, policy, 0); // no row for 12 s
    assertEquals(wall.now().minus(SLACK), looked);
    assertEquals("never back", looked, policy.getWatermark(context(5, T0)));
  }

  /**
   * No record for longer than the idle time is the end of the input only while the reader sees
   * the partition's end: with the broker out of reach (the end unknown, or last seen long ago) the
   * watermark stays, so the rows the broker still holds are not late when it comes back.
   */
  @Test
  public void aBrokerOutOfReachIsNoEndOfInput() {
    TimestampPolicy<byte[], byte[]> policy = policy(TimeDomain.ingest, Duration.millis(1));
    policy.getTimestampForRecord(context(0, T0), record(T0));
    wall.advance(Duration.standardSeconds(20));
    assertEquals("the end unknown", T0.minus(SLACK), policy.getWatermark(context(UNKNOWN, T0)));
    Instant longAgo = wall.now().minus(Duration.standardSeconds(20));
    assertEquals("the end last seen 20 s ago", T0.minus(SLACK), policy.getWatermark(context(0, longAgo)));
    assertEquals("back for 2 s", T0.minus(SLACK), lookEverySecondFor(3, policy, 0));
    Instant watermark = lookEverySecondFor(1, policy, 0);
    assertEquals("at the end, seen for 3 s: the wall clock less the slack", wall.now().minus(SLACK), watermark);
  }

  /**
   * A broker just back is no end of input either: its first looks find the end where the rows
   * stopped, before the producers have sent what they held while it was out. In detector time
   * the watermark would jump past the last window, and those rows would be late.
   */
  @Test
  public void aBrokerJustBackIsNoEndOfInputUntilItsEndHasBeenSeenForAWhile() {
    TimestampPolicy<byte[], byte[]> policy = policy(TimeDomain.detector, IDLE);
    long orbit = 1_000_000;
    policy.getTimestampForRecord(context(0, T0), record(T0, hit(orbit)));
    assertEquals(timeOf(orbit).minus(SLACK), policy.getWatermark(context(0, wall.now())));

    wall.advance(Duration.standardSeconds(10)); // the broker out: KafkaIO's looks fail
    assertEquals(timeOf(orbit).minus(SLACK), policy.getWatermark(context(0, T0)));
    assertEquals("back, 1 and 2 s later", timeOf(orbit).minus(SLACK), lookEverySecondFor(2, policy, 0));

    long next = orbit + 10_000; // what the producer held comes
    policy.getTimestampForRecord(context(0, wall.now()), record(wall.now(), hit(next)));
    assertEquals(timeOf(next).minus(SLACK), lookEverySecondFor(3, policy, 0));
    assertEquals("idle: a window past the last hit", timeOf(next).plus(WINDOW), lookEverySecondFor(1, policy, 0));
  }

  @Test
  public void anEmptyPartitionAtItsEndHoldsNothingBack() {
    TimestampPolicy<byte[], byte[]> policy = policy();
    assertEquals(BoundedWindow.TIMESTAMP_MIN_VALUE, policy.getWatermark(context(0, wall.now())));
    Instant watermark = lookEverySecondFor(3, policy, 0);
    assertEquals("the end seen for 3 s", wall.now().minus(SLACK), watermark);
  }
}
