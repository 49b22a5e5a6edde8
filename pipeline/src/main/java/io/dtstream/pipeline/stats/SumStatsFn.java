package io.dtstream.pipeline.stats;

import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine.CombineFn;

/** Sums the closed {@link DetectorStats} of a window's panes: its on-time pane and its late ones. */
public final class SumStatsFn extends CombineFn<DetectorStats, DetectorStats, DetectorStats> {
  @Override
  public DetectorStats createAccumulator() {
    return new DetectorStats();
  }

  @Override
  public DetectorStats addInput(DetectorStats accumulator, DetectorStats input) {
    return accumulator.add(input);
  }

  @Override
  public DetectorStats mergeAccumulators(Iterable<DetectorStats> accumulators) {
    DetectorStats sum = new DetectorStats();
    for (DetectorStats accumulator : accumulators) {
      sum.add(accumulator);
    }
    return sum;
  }

  @Override
  public DetectorStats extractOutput(DetectorStats accumulator) {
    return accumulator;
  }

  @Override
  public Coder<DetectorStats> getAccumulatorCoder(CoderRegistry registry, Coder<DetectorStats> input)
      throws CannotProvideCoderException {
    return DetectorStatsCoder.of();
  }

  @Override
  public Coder<DetectorStats> getDefaultOutputCoder(
      CoderRegistry registry, Coder<DetectorStats> input) throws CannotProvideCoderException {
    return DetectorStatsCoder.of();
  }
}
