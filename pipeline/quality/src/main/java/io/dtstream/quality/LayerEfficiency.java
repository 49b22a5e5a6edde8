package io.dtstream.quality;

/**
 * A layer's efficiency, found over tested, with its binomial error {@code sqrt(e (1 - e) / tested)};
 * both null when the layer was never tested.
 */
public record LayerEfficiency(int layer, long tested, long found, Double efficiency, Double error) {
  public static LayerEfficiency of(int layer, long tested, long found) {
    if (tested <= 0) {
      return new LayerEfficiency(layer, tested, found, null, null);
    }
    double efficiency = (double) found / tested;
    return new LayerEfficiency(layer, tested, found, efficiency, Math.sqrt(efficiency * (1 - efficiency) / tested));
  }
}
