package io.dtstream.pipeline.kafka;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.dtstream.pipeline.TimeDomain;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaTimestampType;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicy.PartitionContext;
import org.apache.beam.sdk.values.KV;
import org.apache.kafka.common.TopicPartition;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Test;

/** The ingest-time watermark of a partition, by what its reader knows of the partition's end. */
public class EventTimePolicyFactoryTest {
  private static final Duration SLACK = Duration.millis(500);
  private static final long UNKNOWN = -1; // KafkaIO's backlog before it has seen the partition's end
  private static final Instant T0 = Instant.now().minus(Duration.standardMinutes(1));

  private static TimestampPolicy<byte[], byte[]> policy() {
    return policy(Duration.standardSeconds(600)); // never idle within a test
  }

  private static TimestampPolicy<byte[], byte[]> policy(Duration idleAfter) {
    return new EventTimePolicyFactory(
            TimeDomain.ingest,
            SLACK,
            idleAfter,
            Duration.standardSeconds(5),
            Duration.standardSeconds(150),
            Duration.standardSeconds(300))
        .createTimestampPolicy(new TopicPartition("raw", 0), Optional.empty());
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
    return new KafkaRecord<>(
        "raw", 0, 0, timestamp.getMillis(), KafkaTimestampType.CREATE_TIME, null,
        KV.of(new byte[0], "2,0,1,1,1,1".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  public void rowsBehindTheEndKeepTheWatermarkASlackBehindTheLatestRow() {
    TimestampPolicy<byte[], byte[]> policy = policy();
    PartitionContext behind = context(1_000, T0.plus(Duration.standardSeconds(30)));
    assertEquals(T0, policy.getTimestampForRecord(behind, record(T0)));
    assertEquals(T0.minus(SLACK), policy.getWatermark(behind));
    assertEquals("the end unknown", T0.minus(SLACK), policy.getWatermark(context(UNKNOWN, T0.plus(Duration.standardSeconds(30)))));
  }

  @Test
  public void aReaderAtThePartitionsEndFollowsTheTimeItLookedLessTheSlack() {
    TimestampPolicy<byte[], byte[]> policy = policy();
    policy.getTimestampForRecord(context(0, T0), record(T0));
    Instant looked = T0.plus(Duration.standardSeconds(12)); // no row for 12 s
    assertEquals(looked.minus(SLACK), policy.getWatermark(context(0, looked)));
    assertEquals("never back", looked.minus(SLACK), policy.getWatermark(context(5, T0)));
  }

  /**
   * No record for longer than the idle time is the end of the input only while the reader sees
   * the partition's end: with the broker out of reach (the end unknown, or last seen long ago) the
   * watermark stays, so the rows the broker still holds are not late when it comes back.
   */
  @Test
  public void aBrokerOutOfReachIsNoEndOfInput() throws InterruptedException {
    TimestampPolicy<byte[], byte[]> policy = policy(Duration.millis(1));
    policy.getTimestampForRecord(context(0, T0), record(T0));
    Thread.sleep(20); // idle
    assertEquals("the end unknown", T0.minus(SLACK), policy.getWatermark(context(UNKNOWN, T0)));
    Instant longAgo = Instant.now().minus(Duration.standardSeconds(20));
    assertEquals("the end last seen 20 s ago", longAgo.minus(SLACK), policy.getWatermark(context(0, longAgo)));
    Instant before = Instant.now();
    Instant watermark = policy.getWatermark(context(0, before.minus(Duration.standardSeconds(1))));
    assertTrue("at the end seen a second ago: the wall clock less the slack, " + watermark,
        !watermark.isBefore(before.minus(SLACK)) && !watermark.isAfter(Instant.now().minus(SLACK)));
  }

  @Test
  public void anEmptyPartitionAtItsEndHoldsNothingBack() {
    Instant looked = Instant.now();
    assertEquals(looked.minus(SLACK), policy().getWatermark(context(0, looked)));
  }
}
