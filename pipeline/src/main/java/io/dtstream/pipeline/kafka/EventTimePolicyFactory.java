package io.dtstream.pipeline.kafka;

import io.dtstream.pipeline.TimeDomain;
import io.dtstream.pipeline.model.DetectorClock;
import io.dtstream.pipeline.model.Hit;
import io.dtstream.pipeline.model.ParsedRow;
import io.dtstream.pipeline.model.RowParser;
import java.util.Optional;
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
 *       reader, so the last windows of a replay close without waiting for more data.
 * </ul>
 */
public final class EventTimePolicyFactory implements TimestampPolicyFactory<byte[], String> {
  private final TimeDomain timeDomain;
  private final Duration maxDelay;
  private final Duration idleAfter;
  private final Duration idleAdvance;
  private final Duration maxAdvance;
  /** Highest hit time seen by all partitions of this reader (one factory instance per reader). */
  private transient AtomicLong readerMaxMillis;

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
  public synchronized TimestampPolicy<byte[], String> createTimestampPolicy(
      TopicPartition partition, Optional<Instant> previousWatermark) {
    if (readerMaxMillis == null) {
      readerMaxMillis = new AtomicLong(BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis());
    }
    return new Policy(previousWatermark.orElse(BoundedWindow.TIMESTAMP_MIN_VALUE), readerMaxMillis);
  }

  /** The detector time of the first hit of a record (one row, or several separated by newlines). */
  static Optional<Instant> firstHitTime(String record) {
    for (String line : RowParser.lines(record)) {
      ParsedRow row = RowParser.parse(line);
      if (row instanceof Hit hit) {
        return Optional.of(DetectorClock.rowTime(hit.orbit(), hit.bx()));
      }
    }
    return Optional.empty();
  }

  private final class Policy extends TimestampPolicy<byte[], String> {
    private final AtomicLong readerMax;
    private Instant maxSeen = BoundedWindow.TIMESTAMP_MIN_VALUE;
    private Instant earliestSinceWatermark;
    private Instant watermark;
    private long lastRecordWallMillis = System.currentTimeMillis();

    Policy(Instant previousWatermark, AtomicLong readerMax) {
      this.watermark = previousWatermark;
      this.readerMax = readerMax;
    }

    @Override
    public Instant getTimestampForRecord(PartitionContext context, KafkaRecord<byte[], String> record) {
      lastRecordWallMillis = System.currentTimeMillis();
      Instant time;
      if (timeDomain == TimeDomain.ingest) {
        time = new Instant(record.getTimestamp());
      } else {
        Optional<Instant> hitTime = firstHitTime(record.getKV().getValue());
        time = hitTime.orElse(maxSeen);
        hitTime.ifPresent(t -> readerMax.accumulateAndGet(t.getMillis(), Math::max));
      }
      if (time.isAfter(maxSeen)) {
        maxSeen = time;
      }
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
      Instant candidate = maxSeen.minus(maxDelay);
      if (earliestSinceWatermark != null) {
        Instant cap = earliestSinceWatermark.plus(maxAdvance);
        candidate = candidate.isAfter(cap) ? cap : candidate;
        earliestSinceWatermark = null;
      }
      boolean idle = System.currentTimeMillis() - lastRecordWallMillis > idleAfter.getMillis();
      if (idle && timeDomain == TimeDomain.ingest) {
        candidate = latest(candidate, Instant.now().minus(maxDelay));
      } else if (idle && readerMax.get() > BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis()) {
        candidate = latest(candidate, new Instant(readerMax.get()).plus(idleAdvance));
      }
      watermark = latest(watermark, candidate);
      return watermark;
    }
  }

  private static Instant latest(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
