package io.dtstream.injector;

import io.dtstream.contract.model.Cells;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deterministic simulation of the test stand's DAQ output: cosmic muons crossing the four-chamber
 * telescope (4 layers x 16 cells of 42 x 13 mm, half-cell staggering, chamber 1 rotated by 90
 * degrees), with drift times from the distance to the wire at 53.8 um/ns, a scintillator hit (FPGA
 * 1, channel 128) arriving 95 ns late, random noise with a few noisy and dead channels, ancillary
 * words (HEAD 0, 1, 3, 4, 5) and the two FPGAs' streams interleaved slightly out of order.
 *
 * <p>Configured by {@code sim:key=value,...}: {@code seed} (1), {@code rate} (muons/s, 60),
 * {@code noise} (noise hits/s, 600), {@code malformed} (share of broken lines, 0); and faults to
 * plant, for the DQM tests: {@code delay.C} (ns added to chamber C's hits, 0), {@code tmax} and
 * {@code tmax.C} (the maximum drift time in all chambers or in chamber C, ns: half a cell at the
 * drift velocity, 390.3 at 53.8 um/ns), {@code efficiency} and {@code efficiency.C.L} (the hit
 * efficiency of every layer, or of chamber C's layer L (1-4), 0.95).
 */
public final class DetectorSimulation implements Iterator<String> {
  static final double NS_PER_ORBIT = 3564 * 25.0;
  static final long FIRST_ORBIT = 3_387_200_000L;
  static final double CELL_WIDTH_MM = Cells.CELL_WIDTH_MM;
  static final double CELL_HEIGHT_MM = Cells.CELL_HEIGHT_MM;
  static final int CELLS = Cells.WIRES;
  static final int LAYERS = Cells.LAYERS;
  static final double[] CHAMBER_Z_MM = {219.8, 977.3, 1035.6, 1819.8};
  static final double[] OFFSET_NS = {95.0 - 1.1, 95.0 + 6.4, 95.0 + 0.5, 95.0 - 2.6};
  static final double SCINTILLATOR_DELAY_NS = 95.0;
  static final double HIT_EFFICIENCY = 0.95;
  static final double SCINTILLATOR_EFFICIENCY = 0.8;
  /** Channels (chamber * 64 + local) that fire far too often, and channels that never fire. */
  static final int[] NOISY = {66, 150, 201};
  static final int[] DEAD = {17, 100, 230};
  /** Groups of five ancillary words per second: about 15 % of the rows, as on the test stand. */
  static final double TRIGGER_BURSTS_PER_S = 30.0;
  private static final double SLICE_NS = 1_000_000; // one millisecond of detector time
  private static final String[] BROKEN = {
    "2,0,75,%d,2922", "2,0,75,%d,2922,2,9", "7,0,1,%d,1,1", "2,2,1,%d,1,1", "2,0,1,%d,3564,1",
    "2,0,1,%d,1,2.5", "x,0,1,%d,1,1", "2,0,1,%d,1,NaN", "2;0;1;%d;1;1", "\u00ff\u00fe%d"
  };

  private final Random random;
  private final double muonRate;
  private final double noiseRate;
  private final double malformedShare;
  private final Faults faults;
  private final Deque<String> pending = new ArrayDeque<>();
  private double sliceStartNs;

  /**
   * What a test plants in the detector: per chamber a time offset of its hits (ns) and a drift
   * velocity (the {@code tmax} option is half a cell over it), per chamber and layer (index
   * layer - 1) a hit efficiency.
   */
  record Faults(double[] delayNs, double[] velocityMmPerNs, double[][] efficiency) {
    static Faults none() {
      double[][] efficiency = new double[4][LAYERS];
      for (double[] chamber : efficiency) {
        Arrays.fill(chamber, HIT_EFFICIENCY);
      }
      double[] velocity = new double[4];
      Arrays.fill(velocity, Cells.DRIFT_VELOCITY_MM_PER_NS);
      return new Faults(new double[4], velocity, efficiency);
    }
  }

  public DetectorSimulation(long seed, double muonRate, double noiseRate, double malformedShare) {
    this(seed, muonRate, noiseRate, malformedShare, Faults.none());
  }

  DetectorSimulation(long seed, double muonRate, double noiseRate, double malformedShare, Faults faults) {
    this.random = new Random(seed);
    this.muonRate = muonRate;
    this.noiseRate = noiseRate;
    this.malformedShare = malformedShare;
    this.faults = faults;
  }

  /** Parses {@code sim:} or {@code sim:seed=1,rate=40,noise=450,malformed=0.001,delay.2=12}. */
  public static DetectorSimulation fromSpec(String spec) {
    Map<String, Double> values = new HashMap<>(
        Map.of("seed", 1.0, "rate", 60.0, "noise", 600.0, "malformed", 0.0));
    Faults faults = Faults.none();
    String body = spec.substring("sim:".length()).trim();
    if (!body.isEmpty()) {
      for (String pair : body.split(",")) {
        String[] kv = pair.split("=", 2);
        String key = kv[0].trim();
        if (kv.length != 2 || !(values.containsKey(key) || isFault(key))) {
          throw new IllegalArgumentException(
              "bad simulation option '" + pair + "' in " + spec
                  + " (known: seed, rate, noise, malformed, delay.C, tmax, tmax.C, efficiency, efficiency.C.L"
                  + " with chamber C 0-3 and layer L 1-4)");
        }
        double value;
        try {
          value = Double.parseDouble(kv[1].trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("not a number: '" + pair + "' in " + spec);
        }
        if (!Double.isFinite(value)) {
          throw new IllegalArgumentException("not a finite number: '" + pair + "' in " + spec);
        }
        if (values.containsKey(key)) {
          values.put(key, value);
        } else {
          plant(faults, key, value, spec);
        }
      }
    }
    if (values.get("rate") < 0 || values.get("noise") < 0 || values.get("malformed") < 0 || values.get("malformed") > 1) {
      throw new IllegalArgumentException("rates must be >= 0 and malformed in 0..1: " + spec);
    }
    return new DetectorSimulation(
        values.get("seed").longValue(), values.get("rate"), values.get("noise"), values.get("malformed"), faults);
  }

  private static final Pattern FAULT = Pattern.compile("(delay)\\.([0-3])|(tmax)(?:\\.([0-3]))?|(efficiency)(?:\\.([0-3])\\.([1-4]))?");

  private static boolean isFault(String key) {
    return FAULT.matcher(key).matches();
  }

  /** Sets a fault's value; options apply in order, so {@code tmax=400,tmax.2=420} is 420 in chamber 2 only. */
  private static void plant(Faults faults, String key, double value, String spec) {
    Matcher m = FAULT.matcher(key);
    m.matches();
    if (m.group(1) != null) {
      faults.delayNs()[Integer.parseInt(m.group(2))] = value;
    } else if (m.group(3) != null) {
      if (value <= 0) {
        throw new IllegalArgumentException("tmax must be > 0 ns: " + spec);
      }
      for (int c = 0; c < 4; c++) {
        if (m.group(4) == null || c == Integer.parseInt(m.group(4))) {
          faults.velocityMmPerNs()[c] = Cells.HALF_CELL_MM / value;
        }
      }
    } else {
      if (value < 0 || value > 1) {
        throw new IllegalArgumentException("efficiency must be in 0..1: " + spec);
      }
      for (int c = 0; c < 4; c++) {
        for (int layer = 1; layer <= LAYERS; layer++) {
          if (m.group(6) == null || (c == Integer.parseInt(m.group(6)) && layer == Integer.parseInt(m.group(7)))) {
            faults.efficiency()[c][layer - 1] = value;
          }
        }
      }
    }
  }

  @Override
  public boolean hasNext() {
    return true;
  }

  @Override
  public String next() {
    while (pending.isEmpty()) {
      simulateSlice();
    }
    return pending.poll();
  }

  /** One row of one FPGA, at an absolute time in ns since orbit 0 of the run. */
  private record Row(int fpga, double timeNs, String text) {}

  private void simulateSlice() {
    List<Row> rows = new ArrayList<>();
    for (int n = poisson(muonRate * SLICE_NS / 1e9); n > 0; n--) {
      muon(sliceStartNs + random.nextDouble() * SLICE_NS, rows);
    }
    for (int n = poisson(noiseRate * SLICE_NS / 1e9); n > 0; n--) {
      noise(sliceStartNs + random.nextDouble() * SLICE_NS, rows);
    }
    for (int n = poisson(NOISY.length * 25.0 * SLICE_NS / 1e9); n > 0; n--) {
      rows.add(hit(NOISY[random.nextInt(NOISY.length)], sliceStartNs + random.nextDouble() * SLICE_NS));
    }
    for (int n = poisson(TRIGGER_BURSTS_PER_S * SLICE_NS / 1e9); n > 0; n--) {
      ancillaryBurst(sliceStartNs + random.nextDouble() * SLICE_NS, rows);
    }
    sliceStartNs += SLICE_NS;
    interleave(rows);
  }

  /** Each FPGA writes in time order; the two streams reach the file in blocks of a few rows. */
  private void interleave(List<Row> rows) {
    List<Deque<Row>> streams = List.of(new ArrayDeque<>(), new ArrayDeque<>());
    rows.stream().sorted(Comparator.comparingDouble(Row::timeNs)).forEach(r -> streams.get(r.fpga()).add(r));
    while (!streams.get(0).isEmpty() || !streams.get(1).isEmpty()) {
      Deque<Row> stream = streams.get(random.nextInt(2));
      for (int n = 1 + random.nextInt(4); n > 0 && !stream.isEmpty(); n--) {
        String text = stream.poll().text();
        pending.add(random.nextDouble() < malformedShare ? broken() : text);
      }
    }
  }

  private void muon(double timeNs, List<Row> rows) {
    // cos^2 zenith distribution: P(cos t) ~ cos^2 t, so cos t = U^(1/3)
    double cosTheta = Math.cbrt(random.nextDouble());
    double tanTheta = Math.sqrt(1 - cosTheta * cosTheta) / cosTheta;
    double phi = random.nextDouble() * 2 * Math.PI;
    double slopeX = tanTheta * Math.cos(phi);
    double slopeY = tanTheta * Math.sin(phi);
    double width = CELLS * CELL_WIDTH_MM + CELL_WIDTH_MM / 2;
    double x0 = -200 + random.nextDouble() * (width + 400);
    double y0 = -200 + random.nextDouble() * (width + 400);
    boolean crossed = false;
    for (int chamber = 0; chamber < 4; chamber++) {
      for (int layer = 0; layer < LAYERS; layer++) {
        double z = CHAMBER_Z_MM[chamber] + (layer + 0.5) * CELL_HEIGHT_MM;
        double x = x0 + slopeX * z;
        double y = y0 + slopeY * z;
        // chamber 1 is rotated by 90 degrees: its cells measure y and run along x
        double across = chamber == 1 ? y : x;
        double along = chamber == 1 ? x : y;
        double stagger = (layer % 2) * CELL_WIDTH_MM / 2;
        int cell = (int) Math.floor((across - stagger) / CELL_WIDTH_MM);
        if (cell < 0 || cell >= CELLS || along < 0 || along > width) {
          continue;
        }
        crossed = true;
        double distance = Math.abs(across - stagger - (cell + 0.5) * CELL_WIDTH_MM);
        int local = Cells.localChannel(layer + 1, cell);
        if (random.nextDouble() < faults.efficiency()[chamber][layer] && !isDead(chamber * 64 + local)) {
          double drift = distance / faults.velocityMmPerNs()[chamber] + random.nextGaussian() * 3;
          double hitTime =
              timeNs + SCINTILLATOR_DELAY_NS - OFFSET_NS[chamber] + faults.delayNs()[chamber] + Math.max(0, drift);
          rows.add(hit(chamber * 64 + local, hitTime));
        }
      }
    }
    if (crossed && random.nextDouble() < SCINTILLATOR_EFFICIENCY) {
      rows.add(new Row(1, timeNs + SCINTILLATOR_DELAY_NS, row(2, 1, 128, timeNs + SCINTILLATOR_DELAY_NS)));
    }
  }

  private void noise(double timeNs, List<Row> rows) {
    int cell = random.nextInt(256);
    if (random.nextInt(40) == 0) {
      // auxiliary channels 129-139 of FPGA 1
      rows.add(new Row(1, timeNs, row(2, 1, 129 + random.nextInt(11), timeNs)));
    } else if (!isDead(cell)) {
      rows.add(hit(cell, timeNs));
    }
  }

  private static boolean isDead(int cell) {
    return Arrays.stream(DEAD).anyMatch(d -> d == cell);
  }

  private Row hit(int cell, double timeNs) {
    int chamber = cell / 64;
    int fpga = chamber / 2;
    int channel = (chamber % 2) * 64 + cell % 64;
    return new Row(fpga, timeNs, row(2, fpga, channel, timeNs));
  }

  /** A trigger word group as the real files have: HEAD 1, 0, 4, 5, 3, with their odd fields. */
  private void ancillaryBurst(double timeNs, List<Row> rows) {
    int fpga = random.nextInt(2);
    long orbit = orbitOf(timeNs);
    rows.add(new Row(fpga, timeNs, "1," + fpga + ",0," + orbit + ",0," + random.nextInt(200)));
    rows.add(new Row(fpga, timeNs, row(0, fpga, random.nextInt(5), timeNs)));
    rows.add(new Row(fpga, timeNs, String.format(Locale.ROOT, "4,%d,0,%d,0,%.6f", fpga, orbit, random.nextDouble() * 1.2 - 0.6)));
    rows.add(new Row(fpga, timeNs, String.format(Locale.ROOT, "5,%d,0,%d,0,%.6f", fpga, orbit, random.nextGaussian() * 40)));
    rows.add(new Row(fpga, timeNs, "3," + fpga + ",0," + orbit + "," + random.nextInt(20_000) + ",0"));
  }

  private String broken() {
    return String.format(Locale.ROOT, BROKEN[random.nextInt(BROKEN.length)], orbitOf(sliceStartNs));
  }

  private static long orbitOf(double timeNs) {
    return FIRST_ORBIT + (long) Math.floor(timeNs / NS_PER_ORBIT);
  }

  private static String row(int head, int fpga, int channel, double timeNs) {
    double inOrbit = timeNs - Math.floor(timeNs / NS_PER_ORBIT) * NS_PER_ORBIT;
    int bx = (int) (inOrbit / 25);
    int tdc = Math.min(29, (int) ((inOrbit - bx * 25.0) / 25 * 30));
    return head + "," + fpga + "," + channel + "," + orbitOf(timeNs) + "," + bx + "," + tdc;
  }

  private int poisson(double mean) {
    // Knuth's method: means here are below 1 per slice
    double limit = Math.exp(-mean);
    int n = 0;
    for (double p = random.nextDouble(); p > limit; p *= random.nextDouble()) {
      n++;
    }
    return n;
  }
}
