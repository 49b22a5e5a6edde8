package io.dtstream.runners.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * What the watermark's slack ({@code --maxDelaySeconds}) must cover in ingest time, measured on
 * the input topic by a plain consumer of its own: per record, the time it became readable minus
 * its timestamp (the injector's acquisition time), and how far its timestamp lies behind the
 * highest one read before it in its partition (out of order). A row stamped more than the slack
 * before the moment the pipeline can read it may find its window fired already.
 */
final class ArrivalDelays implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Thread reader;
  private volatile boolean stopped;
  private long[] delays = new long[1 << 16];
  private int count;
  private long maxOutOfOrderMillis;

  private ArrivalDelays(String bootstrapServers, String topic) {
    Properties settings = new Properties();
    settings.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10); // read as soon as a record is there
    consumer = TimedRead.wholeTopic(bootstrapServers, topic, settings);
    reader = new Thread(this::read, "bench-arrival-delays");
    reader.setDaemon(true);
  }

  /** Starts reading {@code topic} from its beginning. */
  static ArrivalDelays start(String bootstrapServers, String topic) {
    ArrivalDelays delays = new ArrivalDelays(bootstrapServers, topic);
    delays.reader.start();
    return delays;
  }

  private void read() {
    Map<Integer, Long> highest = new HashMap<>();
    while (!stopped) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
        long now = System.currentTimeMillis();
        synchronized (this) {
          if (count == delays.length) {
            delays = Arrays.copyOf(delays, count * 2);
          }
          delays[count++] = now - record.timestamp();
          long before = highest.merge(record.partition(), record.timestamp(), Math::max);
          maxOutOfOrderMillis = Math.max(maxOutOfOrderMillis, before - record.timestamp());
        }
      }
    }
  }

  /** The delay from timestamp to readable, in ms, at quantile {@code q} (1 for the maximum). */
  synchronized long delayMillis(double q) {
    if (count == 0) {
      return -1;
    }
    long[] sorted = Arrays.copyOf(delays, count);
    Arrays.sort(sorted);
    return sorted[Math.max(0, Math.min(count - 1, (int) Math.ceil(q * count) - 1))];
  }

  synchronized long maxOutOfOrderMillis() {
    return maxOutOfOrderMillis;
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    reader.join(5_000);
    consumer.close();
  }
}
