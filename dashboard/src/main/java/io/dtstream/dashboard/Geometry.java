package io.dtstream.dashboard;

import io.dtstream.contract.model.Cells;
import io.dtstream.contract.model.Chambers;
import java.util.List;
import java.util.stream.IntStream;

/**
 * What {@code GET /api/geometry} answers: where each local channel's cell sits in a chamber, from
 * the contract's {@link Cells} (the one definition of the mapping), so that the page draws the
 * chamber as it is built without a copy of the mapping of its own. The same for every chamber.
 *
 * @param cells indexed by local channel (0-63), the index of the occupancy's bins
 */
record Geometry(int layers, int wires, double cellWidthMm, double cellHeightMm, List<Cell> cells) {

  /** One cell: its channel, layer (1-4, 1 lowest) and wire (0-15), and its wire's x and layer's z in mm. */
  record Cell(int channel, int layer, int wire, double xMm, double zMm) {
    static Cell of(int channel) {
      int layer = Cells.layer(channel);
      int wire = Cells.wire(channel);
      return new Cell(channel, layer, wire, Cells.wireX(layer, wire), Cells.layerZ(layer));
    }
  }

  static final Geometry CHAMBER = new Geometry(Cells.LAYERS, Cells.WIRES, Cells.CELL_WIDTH_MM, Cells.CELL_HEIGHT_MM,
      IntStream.range(0, Chambers.CHANNELS_PER_CHAMBER).mapToObj(Cell::of).toList());
}
