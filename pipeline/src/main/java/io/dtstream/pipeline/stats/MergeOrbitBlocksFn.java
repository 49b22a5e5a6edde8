package io.dtstream.pipeline.stats;

import java.util.Iterator;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine.CombineFn;

/** Merges the partial {@link OrbitBlock}s of one block key, so all parts of each orbit meet. */
public final class MergeOrbitBlocksFn extends CombineFn<OrbitBlock, OrbitBlock, OrbitBlock> {
  @Override
  public OrbitBlock createAccumulator() {
    return new OrbitBlock();
  }

  @Override
  public OrbitBlock addInput(OrbitBlock accumulator, OrbitBlock input) {
    return accumulator.merge(input);
  }

  @Override
  public OrbitBlock mergeAccumulators(Iterable<OrbitBlock> accumulators) {
    Iterator<OrbitBlock> it = accumulators.iterator();
    OrbitBlock merged = it.next();
    while (it.hasNext()) {
      merged.merge(it.next());
    }
    return merged;
  }

  @Override
  public OrbitBlock extractOutput(OrbitBlock accumulator) {
    return accumulator;
  }

  @Override
  public Coder<OrbitBlock> getAccumulatorCoder(CoderRegistry registry, Coder<OrbitBlock> input)
      throws CannotProvideCoderException {
    return OrbitBlockCoder.of();
  }

  @Override
  public Coder<OrbitBlock> getDefaultOutputCoder(CoderRegistry registry, Coder<OrbitBlock> input)
      throws CannotProvideCoderException {
    return OrbitBlockCoder.of();
  }
}
