package io.dtstream.testing;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Random;

/**
 * Random DAQ lines for tests: noise hits, muon-like orbits with a scintillator, ancillary words and
 * every kind of malformed line, spread over {@code seconds} of detector time. {@link #generate}
 * gives them all; an instance gives valid rows only, one at a time, for generators that build
 * hostile lines of their own from them ({@link HostileLines}).
 */
public final class RowGenerator {
  private static final String[] BROKEN = {
    "2,0,75,3387200947,2922",
    "2,0,75,3387200947,2922,2,9",
    "",
    "HEAD,FPGA,TDC_CHANNEL,ORBIT_CNT,BX_COUNTER,TDC_MEAS",
    "7,0,1,3387200947,1,1",
    "2,2,1,3387200947,1,1",
    "2,0,1,3387200947,3564,1",
    "2,0,1,3387200947,1,2.5",
    "2,0,1,3387200947,1,-3",
    "2,0,1,3387200947,1,32",
    "2,0,1,4294967296,1,1",
    "x,0,1,3387200947,1,1",
    "2,0,1,3387200947,1,NaN",
    "2,0,1,3387200947,1,",
    "\u00ff\u00fe\u0000garbage",
    "2;0;1;3387200947;1;1",
    "   ",
    "2,0,99999999999999999999,3387200947,1,1",
    "4,0,0,3387200947,0,-0.537109",
    "3,1,0,3387200947,17444,0",
    " 2 , 1 , 128 , 3387200947 , 100 , 7.000000 ",
  };

  private final Random random;
  private final long firstOrbit;
  private final long orbitSpan;
  /** Rows made but not yet handed out by {@link #nextValid} (a muon makes several). */
  private final Deque<String> pending = new ArrayDeque<>();

  /** Valid rows of the run that {@code generate(seed, ..., seconds)} draws from. */
  public RowGenerator(long seed, int seconds) {
    random = new Random(seed);
    firstOrbit = 3_387_200_000L + random.nextInt(1_000_000);
    orbitSpan = seconds * 11_223L; // orbits per second: 1e9 / (3564 * 25)
  }

  /** {@code rows} lines: about 90% valid rows, the rest from a list of broken, odd, header and blank lines. */
  public static List<String> generate(long seed, int rows, int seconds) {
    RowGenerator generator = new RowGenerator(seed, seconds);
    List<String> lines = new ArrayList<>(rows);
    while (lines.size() < rows) {
      generator.add(true, lines);
    }
    return lines.subList(0, rows);
  }

  /** The next valid row (a hit or an ancillary word), always one the parser accepts. */
  public String nextValid() {
    while (pending.isEmpty()) {
      add(false, pending);
    }
    return pending.poll();
  }

  /** Adds a noise hit, a muon's hits, an ancillary word or (if {@code broken}) maybe a broken line. */
  private void add(boolean broken, Collection<String> lines) {
    long orbit = firstOrbit + (long) (random.nextDouble() * orbitSpan);
    int kind = random.nextInt(broken ? 100 : 90);
    if (kind < 55) {
      lines.add(hit(random.nextInt(2), random.nextInt(140), orbit, random.nextInt(3564), random.nextInt(30), random));
    } else if (kind < 75) {
      muon(random, orbit, lines);
    } else if (kind < 90) {
      int[] heads = {0, 1, 3, 4, 5};
      // plain decimal digits: Double.toString would write a value under 10^-3 with an exponent
      lines.add(heads[random.nextInt(5)] + "," + random.nextInt(2) + "," + random.nextInt(5) + ","
          + orbit + "," + random.nextInt(20_000) + ","
          + BigDecimal.valueOf(random.nextDouble() * 200 - 100).toPlainString());
    } else {
      lines.add(BROKEN[random.nextInt(BROKEN.length)]);
    }
  }

  private static String hit(int fpga, int channel, long orbit, int bx, int tdc, Random random) {
    String tdcText = random.nextInt(4) == 0 ? tdc + ".000000" : Integer.toString(tdc);
    return "2," + fpga + "," + channel + "," + orbit + "," + bx + "," + tdcText;
  }

  /** A scintillator hit and a track through one chamber: 3-4 layers, drift times 0-400 ns. */
  private static void muon(Random random, long orbit, Collection<String> lines) {
    int bx = random.nextInt(3400);
    int scintTicks = bx * 30 + random.nextInt(30);
    lines.add(hit(1, 128, orbit, scintTicks / 30, scintTicks % 30, random));
    int chamber = random.nextInt(4);
    int cell = random.nextInt(14);
    for (int layer = 0; layer < 3 + random.nextInt(2); layer++) {
      int ticks = Math.max(0, scintTicks + random.nextInt(600) - 100);
      int channel = (chamber % 2) * 64 + cell + layer * 16 % 64;
      lines.add(hit(chamber / 2, channel, orbit, ticks / 30, ticks % 30, random));
    }
  }
}
