package io.dtstream.testing;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A deliberately plain re-implementation of the parsing rules and quantities of README (split, regex, BigDecimal, lists of
 * hits per orbit), written apart from the pipeline's code so tests can compare the two.
 */
public final class ReferenceCount {
  private static final Pattern INTEGER = Pattern.compile("[0-9]+");
  private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)");
  private static final Pattern AROUND = Pattern.compile("^[ \t]+|[ \t]+$");
  private static final double[] OFFSET_NS = {95.0 - 1.1, 95.0 + 6.4, 95.0 + 0.5, 95.0 - 2.6};

  /** The totals of one window (or of the whole input). */
  public static final class Totals {
    public long rows, hits, ancillary, malformed, unmapped, scintillator, orbits, scintillatorOrbits;
    public final long[] chamberHits = new long[4];
    public final long[][] occupancy = new long[4][64];
    public final long[][] activeChannels = new long[4][64];
    public final long[][] scintillatorOccupancy = new long[4][64];
    public final long[][] drift = new long[4][80];
    public final long[] underflow = new long[4];
    public final long[] overflow = new long[4];
    /** The fine drift time: underflow, 240 bins, overflow. */
    public final long[][] driftFine = new long[4][242];
    final Map<Long, List<long[]>> hitsByOrbit = new TreeMap<>(); // {fpga, channel, bx, tdc}

    void finish() {
      orbits = hitsByOrbit.size();
      for (List<long[]> orbitHits : hitsByOrbit.values()) {
        List<Set<Long>> channels = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
          channels.add(new HashSet<>());
        }
        Long scintTicks = null;
        for (long[] h : orbitHits) {
          if (h[0] == 1 && h[1] == 128) {
            long ticks = h[2] * 30 + h[3];
            scintTicks = scintTicks == null ? ticks : Math.min(scintTicks, ticks);
          } else if (h[1] < 128) {
            channels.get((int) (h[0] * 2 + h[1] / 64)).add(h[1] % 64);
          }
        }
        for (int c = 0; c < 4; c++) {
          if (!channels.get(c).isEmpty()) {
            activeChannels[c][channels.get(c).size() - 1]++;
          }
        }
        if (scintTicks == null) {
          continue;
        }
        scintillatorOrbits++;
        for (long[] h : orbitHits) {
          if (h[1] >= 128) {
            continue;
          }
          int chamber = (int) (h[0] * 2 + h[1] / 64);
          scintillatorOccupancy[chamber][(int) (h[1] % 64)]++;
          // ns = (ticks difference) * 25 / 30 + offset, exactly, as a decimal with a remainder
          BigDecimal ns =
              BigDecimal.valueOf((h[2] * 30 + h[3] - scintTicks) * 25)
                  .divide(BigDecimal.valueOf(30), 20, java.math.RoundingMode.FLOOR)
                  .add(BigDecimal.valueOf(OFFSET_NS[chamber]).setScale(1, java.math.RoundingMode.HALF_EVEN));
          if (ns.compareTo(BigDecimal.valueOf(-200)) < 0) {
            underflow[chamber]++;
          } else if (ns.compareTo(BigDecimal.valueOf(600)) >= 0) {
            overflow[chamber]++;
          } else {
            int bin = ns.add(BigDecimal.valueOf(200)).divideToIntegralValue(BigDecimal.TEN).intValueExact();
            drift[chamber][bin]++;
          }
          // the fine histogram: 240 bins of 2.5 ns from -100 ns, under- and overflow at 0 and 241
          BigDecimal fromFirst = ns.add(BigDecimal.valueOf(100));
          int fineBin =
              fromFirst.signum() < 0
                  ? 0
                  : Math.min(241, fromFirst.divideToIntegralValue(new BigDecimal("2.5")).intValueExact() + 1);
          driftFine[chamber][fineBin]++;
        }
      }
    }
  }

  public final Totals total = new Totals();
  /** The malformed lines, as they were. */
  public final List<String> malformedLines = new ArrayList<>();
  /** Per detector-time window, by window start in ms. */
  public final Map<Long, Totals> windows = new TreeMap<>();
  private final long windowMillis;

  public ReferenceCount(long windowMillis) {
    this.windowMillis = windowMillis;
  }

  public static ReferenceCount of(List<String> lines, long windowMillis) {
    ReferenceCount count = new ReferenceCount(windowMillis);
    lines.forEach(count::add);
    count.total.finish();
    count.windows.values().forEach(Totals::finish);
    return count;
  }

  private void add(String line) {
    if (line.replace(" ", "").replace("\t", "").isEmpty()) {
      return;
    }
    String[] f = line.split(",", -1);
    for (int i = 0; i < f.length; i++) {
      f[i] = AROUND.matcher(f[i]).replaceAll("");
    }
    if (f[0].equals("HEAD")) {
      return;
    }
    total.rows++;
    if (f.length != 6
        || !INTEGER.matcher(f[0]).matches()
        || !INTEGER.matcher(f[1]).matches()
        || !INTEGER.matcher(f[2]).matches()
        || !INTEGER.matcher(f[3]).matches()
        || !INTEGER.matcher(f[4]).matches()
        || !DECIMAL.matcher(f[5]).matches()
        || new BigInteger(f[3]).compareTo(BigInteger.valueOf(4294967295L)) > 0) {
      malformed(line);
      return;
    }
    BigInteger head = new BigInteger(f[0]);
    BigInteger orbit = new BigInteger(f[3]);
    BigInteger bx = new BigInteger(f[4]);
    if (head.compareTo(BigInteger.valueOf(5)) > 0) {
      malformed(line);
      return;
    }
    long windowStart =
        orbit.multiply(BigInteger.valueOf(3564)).add(bx).multiply(BigInteger.valueOf(25))
            .divide(BigInteger.valueOf(1_000_000L * windowMillis))
            .longValueExact() * windowMillis;
    if (head.intValue() != 2) {
      Totals window = windows.computeIfAbsent(windowStart, w -> new Totals());
      total.ancillary++;
      window.rows++;
      window.ancillary++;
      return;
    }
    BigDecimal tdc = new BigDecimal(f[5]);
    BigInteger fpga = new BigInteger(f[1]);
    boolean wholeTdc = tdc.signum() == 0 || tdc.stripTrailingZeros().scale() <= 0;
    if (fpga.compareTo(BigInteger.ONE) > 0
        || bx.compareTo(BigInteger.valueOf(3563)) > 0
        || !wholeTdc
        || tdc.compareTo(BigDecimal.ZERO) < 0
        || tdc.compareTo(BigDecimal.valueOf(31)) > 0) {
      malformed(line); // a malformed row has no detector time: it counts in no window
      return;
    }
    Totals window = windows.computeIfAbsent(windowStart, w -> new Totals());
    window.rows++;
    for (Totals t : List.of(total, window)) {
      addHit(t, fpga.longValue(), new BigInteger(f[2]), orbit.longValue(), bx.longValue(), tdc.longValue());
    }
  }

  private void malformed(String line) {
    total.malformed++;
    malformedLines.add(line);
  }

  private static void addHit(Totals t, long fpga, BigInteger bigChannel, long orbit, long bx, long tdc) {
    t.hits++;
    long channel = bigChannel.min(BigInteger.valueOf(Integer.MAX_VALUE)).longValue();
    if (channel >= 128) {
      t.unmapped++;
      if (fpga == 1 && channel == 128) {
        t.scintillator++;
      }
    } else {
      int chamber = (int) (fpga * 2 + channel / 64);
      t.chamberHits[chamber]++;
      t.occupancy[chamber][(int) (channel % 64)]++;
    }
    t.hitsByOrbit.computeIfAbsent(orbit, o -> new ArrayList<>()).add(new long[] {fpga, channel, bx, tdc});
  }
}
