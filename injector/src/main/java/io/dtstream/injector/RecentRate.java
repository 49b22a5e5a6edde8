package io.dtstream.injector;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A count's rate over the last {@link #SECONDS} seconds, from a sample of it taken every second
 * once {@link #start started} (a scrape then sees the rate of now, not the run's average).
 */
final class RecentRate implements AutoCloseable {
  static final int SECONDS = 5;

  private record Sample(long nanos, long count) {}

  private final LongSupplier count;
  private final Deque<Sample> samples = new ArrayDeque<>();
  private ScheduledExecutorService sampler;

  RecentRate(LongSupplier count) {
    this.count = count;
  }

  synchronized void start() {
    if (sampler == null) {
      sample();
      sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "recent-rate");
        thread.setDaemon(true);
        return thread;
      });
      sampler.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
    }
  }

  synchronized void sample() {
    samples.addLast(new Sample(System.nanoTime(), count.getAsLong()));
    while (samples.size() > SECONDS + 1) {
      samples.removeFirst();
    }
  }

  /** Per second from the oldest sample kept to now; 0 before there is one. */
  synchronized double perSecond() {
    if (samples.isEmpty()) {
      return 0;
    }
    Sample oldest = samples.getFirst();
    double seconds = (System.nanoTime() - oldest.nanos) / 1e9;
    return seconds <= 0 ? 0 : (count.getAsLong() - oldest.count) / seconds;
  }

  @Override
  public synchronized void close() {
    if (sampler != null) {
      sampler.shutdownNow();
    }
  }
}
