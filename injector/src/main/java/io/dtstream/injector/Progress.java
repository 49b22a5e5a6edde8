package io.dtstream.injector;

import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * What a long replay shows while it runs: a progress bar (rows sent, rows/s, ETA) on a terminal,
 * or a plain line every 5 s in a log.
 */
abstract class Progress implements AutoCloseable {
  private static final long LOG_EVERY_NANOS = 5_000_000_000L;

  final Inject.Report report;
  private final RowSource source;
  private final long limit;

  private Progress(Inject.Report report, RowSource source, long limit) {
    this.report = report;
    this.source = source;
    this.limit = limit;
  }

  static Progress start(String mode, Inject.Report report, RowSource source, long limit) {
    boolean bar = mode.equals("bar") || (mode.equals("auto") && System.console() != null);
    return bar ? new Bar(report, source, limit) : new LogLines(report, source, limit);
  }

  /** Called after each message; cheap. */
  abstract void update();

  @Override
  public abstract void close();

  /** The rows the run will read in all, as far as known now; -1 when it has no end. */
  long expectedRows() {
    double fraction = source.fractionRead();
    long read = report.rowsRead.get();
    long estimate = Double.isNaN(fraction) || fraction <= 0 ? -1 : Math.round(read / fraction);
    if (limit == Long.MAX_VALUE) {
      return estimate;
    }
    return estimate < 0 ? limit : Math.min(limit, estimate);
  }

  private static final class Bar extends Progress {
    private final ProgressBar bar;
    private long nextHint;

    Bar(Inject.Report report, RowSource source, long limit) {
      super(report, source, limit);
      bar =
          new ProgressBarBuilder()
              .setTaskName("inject")
              .setInitialMax(expectedRows())
              .setUnit(" rows", 1)
              .showSpeed()
              .setStyle(ProgressBarStyle.ASCII)
              .setUpdateIntervalMillis(500)
              .setSpeedUnit(java.time.temporal.ChronoUnit.SECONDS)
              .build();
    }

    @Override
    void update() {
      long now = System.nanoTime();
      if (now >= nextHint) {
        bar.maxHint(expectedRows());
        bar.stepTo(report.rowsSent.get());
        nextHint = now + Duration.ofMillis(200).toNanos();
      }
    }

    @Override
    public void close() {
      bar.stepTo(report.rowsSent.get());
      bar.close();
    }
  }

  private static final class LogLines extends Progress {
    private long nextLine = System.nanoTime() + LOG_EVERY_NANOS;

    LogLines(Inject.Report report, RowSource source, long limit) {
      super(report, source, limit);
    }

    @Override
    void update() {
      if (System.nanoTime() >= nextLine) {
        long expected = expectedRows();
        String eta = "";
        if (expected > 0) {
          double remaining = (expected - report.rowsSent.get()) / Math.max(report.rowsPerSecond(), 1e-9);
          eta = String.format(java.util.Locale.ROOT, " etaSeconds=%.0f", Math.max(remaining, 0));
        }
        System.err.println("dtstream inject: " + report.summary() + eta);
        nextLine += LOG_EVERY_NANOS;
      }
    }

    @Override
    public void close() {}
  }
}
