package io.dtstream.pipeline.kafka;

import io.dtstream.pipeline.TimeDomain;
import io.dtstream.contract.model.DetectorClock;
import io.dtstream.contract.model.RowParser;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicyFactory;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.kafka.common.TopicPartition;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Event time and watermark of the records of each Kafka partition.
 *
 * <ul>
 *   <li>{@code ingest}: the record's Kafka timestamp (the injector stamps the acquisition time);
 *       the watermark trails the highest timestamp by {@code maxDelay}, and follows the wall
 *       clock once the partition is idle, so a quiet detector still sees its windows close.
 *   <li>{@code detector}: the time of the record's first hit; the watermark trails the highest hit
 *       time by {@code maxDelay} (bounded out-of-orderness; ancillary words carry unrelated orbits
 *       and do not move it). Once idle, it moves a window past the highest time seen by this
 *       pipeline, so the last windows of a replay close without waiting for more data.
 * </ul>
 *
 * <p>Runners re-create their readers, and so the policies, all the time (the SparkRunner between
 * micro-batches, the DirectRunner between bundles); only the last watermark comes back with
 * them. What a partition has seen is therefore kept per pipeline run in the JVM, so a re-created
 * policy still knows the highest time seen and how long the partition has been idle.
 */
public final class EventTimePolicyFactory implements TimestampPolicyFactory<byte[], byte[]> {
  private final TimeDomain timeDomain;
  private final Duration maxDelay;
  private final Duration idleAfter;
  private final Duration idleAdvance;
  private final Duration maxAdvance;
  private static final Map<String, RunClock> CLOCKS = new ConcurrentHashMap<>();

  /** Names this pipeline run's clock; the same in every serialized copy of the factory. */
  private final String runId = UUID.randomUUID().toString();

  /**
   * @param maxAdvance how far the watermark may run ahead of the earliest record read since it was
   *     last asked; keep it below the allowed lateness (see {@link Policy#getWatermark})
   */
  public EventTimePolicyFactory(
      TimeDomain timeDomain,
      Duration maxDelay,
      Duration idleAfter,
      Duration idleAdvance,
      Duration maxAdvance) {
    this.timeDomain = timeDomain;
    this.maxDelay = maxDelay;
    this.idleAfter = idleAfter;
    this.idleAdvance = idleAdvance;
    this.maxAdvance = maxAdvance;
  }

  @Override
  public TimestampPolicy<byte[], byte[]> createTimestampPolicy(
      TopicPartition partition, Optional<Instant> previousWatermark) {
    RunClock clock = CLOCKS.computeIfAbsent(runId, id -> new RunClock());
    PartitionClock partitionClock = clock.partitions.computeIfAbsent(partition, p -> new PartitionClock());
    Instant watermark = previousWatermark.orElse(BoundedWindow.TIMESTAMP_MIN_VALUE);
    if (watermark.isAfter(BoundedWindow.TIMESTAMP_MIN_VALUE)) {
      // Restored from a checkpoint in a new JVM: the watermark says at least this much was seen,
      // so an idle restart can still close the last windows.
      long seen = watermark.plus(maxDelay).getMillis();
      partitionClock.maxSeenMillis.accumulateAndGet(seen, Math::max);
      if (timeDomain == TimeDomain.detector) {
        clock.maxHitMillis.accumulateAndGet(seen, Math::max);
      }
    }
    return new Policy(watermark, partitionClock, clock.maxHitMillis);
  }

  /** What one run's policies have seen in this JVM. */
  private static final class RunClock {
    /** Highest hit time seen on any partition. */
    final AtomicLong maxHitMillis = new AtomicLong(BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis());

    final Map<TopicPartition, PartitionClock> partitions = new ConcurrentHashMap<>();
  }

  /** What the policies of one partition have seen. */
  private static final class PartitionClock {
    final AtomicLong maxSeenMillis = new AtomicLong(BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis());
    volatile long lastRecordWallMillis = System.currentTimeMillis();
  }

  /** The detector time of the first hit of a record (one row, or several separated by newlines). */
  static Optional<Instant> firstHitTime(byte[] record) {
    FirstHit first = new FirstHit();
    RowParser.scan(record, first);
    return first.millis == Long.MIN_VALUE ? Optional.empty() : Optional.of(new Instant(first.millis));
  }

  /** Keeps the time of the first hit scanned. */
  private static final class FirstHit implements RowParser.RowSink {
    long millis = Long.MIN_VALUE;

    @Override
    public void hit(int fpga, int channel, long orbit, int bx, int tdc) {
      if (millis == Long.MIN_VALUE) {
        millis = DetectorClock.rowMillis(orbit, bx);
      }
    }

    @Override
    public void ancillary(int head, long orbit, long bx) {}

    @Override
    public void malformed(String line, String reason) {}
  }

  private final class Policy extends TimestampPolicy<byte[], byte[]> {
    private final PartitionClock partition;
    private final AtomicLong runMaxHit;
    private Instant earliestSinceWatermark;
    private Instant watermark;

    Policy(Instant previousWatermark, PartitionClock partition, AtomicLong runMaxHit) {
      this.watermark = previousWatermark;
      this.partition = partition;
      this.runMaxHit = runMaxHit;
    }

    @Override
    public Instant getTimestampForRecord(PartitionContext context, KafkaRecord<byte[], byte[]> record) {
      partition.lastRecordWallMillis = System.currentTimeMillis();
      Instant time;
      if (timeDomain == TimeDomain.ingest) {
        time = new Instant(record.getTimestamp());
      } else {
        Optional<Instant> hitTime = firstHitTime(record.getKV().getValue());
        time = hitTime.orElse(new Instant(partition.maxSeenMillis.get()));
        hitTime.ifPresent(t -> runMaxHit.accumulateAndGet(t.getMillis(), Math::max));
      }
      partition.maxSeenMillis.accumulateAndGet(time.getMillis(), Math::max);
      if (earliestSinceWatermark == null || time.isBefore(earliestSinceWatermark)) {
        earliestSinceWatermark = time;
      }
      return time;
    }

    /**
     * The SparkRunner judges a micro-batch's rows against the watermark reported after reading
     * that same batch: when a replay puts minutes of data into one batch, a watermark at its end
     * would make its first windows expire unseen. So the watermark never runs more than
     * {@code maxAdvance} (less than the allowed lateness) ahead of the earliest row just read.
     */
    @Override
    public Instant getWatermark(PartitionContext context) {
      Instant candidate = new Instant(partition.maxSeenMillis.get()).minus(maxDelay);
      if (earliestSinceWatermark != null) {
        Instant cap = earliestSinceWatermark.plus(maxAdvance);
        candidate = candidate.isAfter(cap) ? cap : candidate;
        earliestSinceWatermark = null;
      }
      boolean idle = System.currentTimeMillis() - partition.lastRecordWallMillis > idleAfter.getMillis();
      if (idle && timeDomain == TimeDomain.ingest) {
        candidate = latest(candidate, Instant.now().minus(maxDelay));
      } else if (idle && runMaxHit.get() > BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis()) {
        candidate = latest(candidate, new Instant(runMaxHit.get()).plus(idleAdvance));
      }
      watermark = latest(watermark, candidate);
      return watermark;
    }
  }

  private static Instant latest(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
