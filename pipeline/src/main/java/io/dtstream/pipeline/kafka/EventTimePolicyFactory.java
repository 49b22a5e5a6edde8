package io.dtstream.pipeline.kafka;

import io.dtstream.pipeline.TimeDomain;
import io.dtstream.contract.model.DetectorClock;
import io.dtstream.contract.model.RowParser;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicy.PartitionContext;
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
 *       clock whenever the reader has caught up with the partition's end, so a partition that
 *       gets no row for a while (a quiet detector, a producer that fills one partition at a time)
 *       holds no window back; after {@code idleAfter} without records it follows the wall clock
 *       too (but not while the broker is out of reach: see below).
 *   <li>{@code detector}: the time of the record's first hit; the watermark trails the highest hit
 *       time by {@code maxDelay} (bounded out-of-orderness; ancillary words carry other counters,
 *       up to tens of seconds ahead of the hits around them, and do not move it). Once idle, it
 *       moves a window past the highest hit time seen by this pipeline, and past the highest
 *       ancillary time within {@code ancillaryHorizon} of it, so the last windows of a replay,
 *       those that hold only ancillary rows included, close without waiting for more data.
 * </ul>
 *
 * <p>Idle means no record for {@code idleAfter} while the reader sees that it has read up to the
 * partition's end, and has seen it without a break for a while (see {@link #atSteadyEnd}): a
 * broker out of reach holds the watermark where it is, and so does a broker just back, so the
 * rows it and the producers still hold are not late when they come.
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
  private final Duration ancillaryHorizon;
  private final Clock wallClock;
  private static final Map<String, RunClock> CLOCKS = new ConcurrentHashMap<>();
  /** KafkaIO looks at each partition's end once a second; three looks missed is out of reach. */
  private static final Duration END_SEEN_WITHIN = Duration.standardSeconds(3);

  /** Names this pipeline run's clock; the same in every serialized copy of the factory. */
  private final String runId = UUID.randomUUID().toString();

  /**
   * @param maxAdvance how far the watermark may run ahead of the earliest record read since it was
   *     last asked; keep it below the allowed lateness (see {@link Policy#getWatermark})
   * @param ancillaryHorizon how far ahead of the highest hit an ancillary row may lie and still
   *     have the idle watermark pass it: ancillary words far beyond every hit (a corrupt counter)
   *     must not carry the watermark past the next hits
   */
  public EventTimePolicyFactory(
      TimeDomain timeDomain,
      Duration maxDelay,
      Duration idleAfter,
      Duration idleAdvance,
      Duration maxAdvance,
      Duration ancillaryHorizon) {
    this(timeDomain, maxDelay, idleAfter, idleAdvance, maxAdvance, ancillaryHorizon, Clock.systemUTC());
  }

  /** As above, on a wall clock of the caller's (tests). */
  EventTimePolicyFactory(
      TimeDomain timeDomain,
      Duration maxDelay,
      Duration idleAfter,
      Duration idleAdvance,
      Duration maxAdvance,
      Duration ancillaryHorizon,
      Clock wallClock) {
    this.wallClock = wallClock;
    this.timeDomain = timeDomain;
    this.maxDelay = maxDelay;
    this.idleAfter = idleAfter;
    this.idleAdvance = idleAdvance;
    this.maxAdvance = maxAdvance;
    this.ancillaryHorizon = ancillaryHorizon;
  }

  @Override
  public TimestampPolicy<byte[], byte[]> createTimestampPolicy(
      TopicPartition partition, Optional<Instant> previousWatermark) {
    RunClock clock = CLOCKS.computeIfAbsent(runId, id -> new RunClock());
    PartitionClock partitionClock = clock.partitions.computeIfAbsent(partition, p -> new PartitionClock(wallClock.millis()));
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
    return new Policy(watermark, partitionClock, clock);
  }

  /** What one run's policies have seen in this JVM. */
  private static final class RunClock {
    /** Highest hit time seen on any partition. */
    final AtomicLong maxHitMillis = new AtomicLong(BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis());

    /** Highest ancillary row time seen on any partition. */
    final AtomicLong maxAncillaryMillis = new AtomicLong(BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis());

    final Map<TopicPartition, PartitionClock> partitions = new ConcurrentHashMap<>();
  }

  /** What the policies of one partition have seen. */
  private static final class PartitionClock {
    static final long OUT_OF_SIGHT = Long.MAX_VALUE;
    final AtomicLong maxSeenMillis = new AtomicLong(BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis());
    volatile long lastRecordWallMillis;
    /** Since when every look at the partition's end the reader reported was recent, or OUT_OF_SIGHT. */
    volatile long endInSightSinceWallMillis = OUT_OF_SIGHT;

    PartitionClock(long nowMillis) {
      lastRecordWallMillis = nowMillis;
    }
  }

  /** The detector times a record's watermark needs: its first hit's, and its latest ancillary row's. */
  static final class RecordTimes implements RowParser.RowSink {
    static final long NONE = Long.MIN_VALUE;
    long firstHitMillis = NONE;
    long maxAncillaryMillis = NONE;

    static RecordTimes of(byte[] record) {
      RecordTimes times = new RecordTimes();
      RowParser.scanFirstHitAndAncillary(record, times);
      return times;
    }

    @Override
    public void hit(int fpga, int channel, long orbit, int bx, int tdc) {
      if (firstHitMillis == NONE) {
        firstHitMillis = DetectorClock.rowMillis(orbit, bx);
      }
    }

    @Override
    public void ancillary(int head, long orbit, long bx) {
      maxAncillaryMillis = Math.max(maxAncillaryMillis, DetectorClock.rowMillis(orbit, bx));
    }

    @Override
    public void malformed(String line, String reason) {}
  }

  private final class Policy extends TimestampPolicy<byte[], byte[]> {
    private final PartitionClock partition;
    private final RunClock run;
    private Instant earliestSinceWatermark;
    private Instant watermark;

    Policy(Instant previousWatermark, PartitionClock partition, RunClock run) {
      this.watermark = previousWatermark;
      this.partition = partition;
      this.run = run;
    }

    @Override
    public Instant getTimestampForRecord(PartitionContext context, KafkaRecord<byte[], byte[]> record) {
      partition.lastRecordWallMillis = wallClock.millis();
      Instant time;
      if (timeDomain == TimeDomain.ingest) {
        time = new Instant(record.getTimestamp());
      } else {
        RecordTimes times = RecordTimes.of(record.getKV().getValue());
        if (times.firstHitMillis != RecordTimes.NONE) {
          time = new Instant(times.firstHitMillis);
          run.maxHitMillis.accumulateAndGet(times.firstHitMillis, Math::max);
        } else {
          time = new Instant(partition.maxSeenMillis.get());
        }
        if (times.maxAncillaryMillis != RecordTimes.NONE) {
          run.maxAncillaryMillis.accumulateAndGet(times.maxAncillaryMillis, Math::max);
        }
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
      long now = wallClock.millis();
      boolean atEnd = atSteadyEnd(context, partition, now);
      if (timeDomain == TimeDomain.ingest && atEnd) {
        // Caught up with the partition's end as of the reader's last look (once a second): a
        // record that comes later was stamped after that look, give or take the slack.
        candidate = latest(candidate, context.getBacklogCheckTime().minus(maxDelay));
      }
      boolean idle = atEnd && now - partition.lastRecordWallMillis > idleAfter.getMillis();
      if (idle && timeDomain == TimeDomain.ingest) {
        candidate = latest(candidate, new Instant(now).minus(maxDelay));
      } else if (idle && run.maxHitMillis.get() > BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis()) {
        long maxHit = run.maxHitMillis.get();
        long ancillary = Math.min(run.maxAncillaryMillis.get(), maxHit + ancillaryHorizon.getMillis());
        candidate = latest(candidate, new Instant(Math.max(maxHit, ancillary)).plus(idleAdvance));
      }
      watermark = latest(watermark, candidate);
      return watermark;
    }
  }

  /**
   * Whether the reader has caught up with the partition's end, as it has seen it within {@link
   * #END_SEEN_WITHIN} at every look the policy was shown since at least {@link #END_SEEN_WITHIN}
   * ago: only then is no input the end of the input.
   *
   * <ul>
   *   <li>A broker out of reach is not (KafkaIO's look at the end fails and grows old): moving the
   *       watermark on would make late every row the broker still holds for the open windows,
   *       whose orbits a late pane then counts twice (FlinkFaultToleranceIT with a broker down
   *       longer than --idleSeconds, seed 32458220860929).
   *   <li>Nor is a broker just back: its first look may find the end where the rows stopped,
   *       before the producers have sent what they held while it was out. That race is the one
   *       way to late rows we found for a FlinkFaultToleranceIT that failed in CI (2026-12-03: a
   *       window's orbits 4,364 for 4,320, every hit counted; not repeated in six runs since).
   * </ul>
   */
  private static boolean atSteadyEnd(PartitionContext context, PartitionClock partition, long now) {
    Instant looked = context.getBacklogCheckTime();
    boolean inSight = looked != null && now - looked.getMillis() <= END_SEEN_WITHIN.getMillis();
    if (!inSight) {
      partition.endInSightSinceWallMillis = PartitionClock.OUT_OF_SIGHT;
    } else if (partition.endInSightSinceWallMillis == PartitionClock.OUT_OF_SIGHT) {
      partition.endInSightSinceWallMillis = now;
    }
    return inSight
        && context.getMessageBacklog() == 0
        && now - partition.endInSightSinceWallMillis >= END_SEEN_WITHIN.getMillis();
  }

  private static Instant latest(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
