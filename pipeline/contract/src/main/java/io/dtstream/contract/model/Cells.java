package io.dtstream.contract.model;

/**
 * Where a chamber's cells are (the mini-DT geometry of the Legnaro readout): a local channel
 * {@code c} (0-63) is wire {@code c / 4} (0-15) of layer 1, 3, 2 or 4 for {@code c % 4} = 0, 1, 2,
 * 3. Layers are 13 mm tall and stacked in order, layer 1 lowest; cells are 42 mm wide, layers 2
 * and 4 shifted by half a cell. Positions are in mm in the chamber's own frame: x across the wires
 * (wire 0 of layer 1 at 21 mm), z up through the layers (layer 1's mid-plane at 6.5 mm).
 */
public final class Cells {
  public static final int LAYERS = 4;
  public static final int WIRES = 16;
  public static final double CELL_WIDTH_MM = 42.0;
  public static final double CELL_HEIGHT_MM = 13.0;
  /** The longest drift path: from the cell's edge to its wire. */
  public static final double HALF_CELL_MM = CELL_WIDTH_MM / 2;
  /** The nominal drift velocity; {@code HALF_CELL_MM / v} is the nominal Tmax, about 390 ns. */
  public static final double DRIFT_VELOCITY_MM_PER_NS = 0.0538;

  /** Layer (1-4) of {@code c % 4} = 0, 1, 2, 3; the same table maps a layer's index back. */
  private static final int[] LAYER_OF_CODE = {1, 3, 2, 4};

  private Cells() {}

  /** The layer, 1-4, of local channel {@code c}. */
  public static int layer(int localChannel) {
    return LAYER_OF_CODE[localChannel % 4];
  }

  /** The wire, 0-15, of local channel {@code c}. */
  public static int wire(int localChannel) {
    return localChannel / 4;
  }

  /** The local channel of a layer's (1-4) wire (0-15). */
  public static int localChannel(int layer, int wire) {
    return 4 * wire + LAYER_OF_CODE[layer - 1] - 1;
  }

  /** The wire's x: {@code 42 w + 21}, plus half a cell in layers 2 and 4. */
  public static double wireX(int layer, int wire) {
    return CELL_WIDTH_MM * wire + HALF_CELL_MM + (layer % 2 == 0 ? HALF_CELL_MM : 0);
  }

  /** The layer's mid-plane. */
  public static double layerZ(int layer) {
    return (layer - 0.5) * CELL_HEIGHT_MM;
  }
}
