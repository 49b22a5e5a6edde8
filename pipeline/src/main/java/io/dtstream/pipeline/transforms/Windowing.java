package io.dtstream.pipeline.transforms;

import io.dtstream.pipeline.WindowOptions;
import java.io.Serializable;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Trigger;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The windowing of the results: fixed windows (emitted when the watermark passes their end, and
 * again for each late row within the allowed lateness), or one global window over a whole batch
 * input for a summary.
 */
public final class Windowing implements Serializable {
  private final FixedWindows fixed; // null: one global window
  private final Duration allowedLateness;

  private Windowing(FixedWindows fixed, Duration allowedLateness) {
    this.fixed = fixed;
    this.allowedLateness = allowedLateness;
  }

  public static Windowing fixed(Duration size, Duration allowedLateness) {
    return new Windowing(FixedWindows.of(size), allowedLateness);
  }

  public static Windowing global() {
    return new Windowing(null, Duration.ZERO);
  }

  public static Windowing fromOptions(WindowOptions options, boolean summary) {
    return summary
        ? global()
        : fixed(
            Duration.standardSeconds(options.getWindowSeconds()),
            Duration.standardSeconds(options.getAllowedLatenessSeconds()));
  }

  public boolean isGlobal() {
    return fixed == null;
  }

  /** The window a row with this event time belongs to. */
  public BoundedWindow windowOf(Instant time) {
    return isGlobal() ? GlobalWindow.INSTANCE : fixed.assignWindow(time);
  }

  /**
   * The key a window's blocks are merged under: its start, so that the windows of a catch-up
   * spread over the workers; one key for the global window. One key a window, not several: every
   * key and window is state the SparkRunner revisits on each micro-batch until the allowed
   * lateness runs out (keys of 0.36 s of orbits made that a fifth of a profiled run).
   */
  public long keyOf(BoundedWindow window) {
    return window instanceof IntervalWindow interval ? interval.start().getMillis() : 0L;
  }

  /** Assigns windows; each firing carries only what arrived since the last one. */
  public <T> Window<T> assign() {
    Window<T> window = isGlobal() ? Window.into(new GlobalWindows()) : Window.into(fixed);
    return window.triggering(trigger()).withAllowedLateness(allowedLateness).discardingFiredPanes();
  }

  /**
   * Re-configures a stream of whole panes (one element per window and firing of {@link
   * #assign()}'s trigger) so that each element fires at once, carrying everything of its window
   * so far. At once, not when the watermark passes the window's end a second time: the pane came
   * out of a firing that waited for it already, and a second wait added a bundle's time to every
   * window's delay on the FlinkRunner (bench latency at 20,000 rows/s, p50 0.89-1.02 -> 0.68-0.76 s,
   * 2026-12-03).
   */
  public <T> Window<T> accumulatePanes() {
    return Window.<T>configure()
        .triggering(isGlobal() ? DefaultTrigger.of() : Repeatedly.forever(AfterPane.elementCountAtLeast(1)))
        .withAllowedLateness(allowedLateness)
        .accumulatingFiredPanes();
  }

  /** Combines per window; a summary also gets a result for an empty input. */
  public <T> Combine.Globally<T, T> combinePerWindow(CombineFn<T, ?, T> fn) {
    Combine.Globally<T, T> combine = Combine.globally(fn);
    return isGlobal() ? combine : combine.withoutDefaults();
  }

  private Trigger trigger() {
    return isGlobal()
        ? DefaultTrigger.of()
        : AfterWatermark.pastEndOfWindow().withLateFirings(AfterPane.elementCountAtLeast(1));
  }
}
