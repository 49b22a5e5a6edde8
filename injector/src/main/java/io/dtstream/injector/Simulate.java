package io.dtstream.injector;

import io.dtstream.contract.cli.CommandKit;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dtstream simulate}: writes simulated rows, with the header line, to stdout. */
@Command(
    name = "dtstream simulate",
    mixinStandardHelpOptions = true,
    description = "Writes rows of the detector simulation as CSV (with a header line) to stdout.")
public final class Simulate implements Callable<Integer> {
  @Option(names = "--rows", description = "Rows to write (default: ${DEFAULT-VALUE}).")
  long rows = 100_000;

  @Option(names = "--seed", description = "Random seed: the same seed gives the same bytes (default: ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(names = "--spec", description = "Other simulation settings, as in sim:rate=40,noise=450,malformed=0.")
  String spec = "";

  // Faults to plant, for the DQM fits (the sim: options delay.C, tmax, efficiency.C.L).
  @Option(names = "--delayNs", paramLabel = "CHAMBER=NS", description = "Delays a chamber's hits, e.g. --delayNs 2=12 (repeatable).")
  Map<Integer, Double> delayNs = new LinkedHashMap<>();

  @Option(names = "--tmaxNs", paramLabel = "NS", description = "The maximum drift time in every chamber (default: half a cell at 53.8 um/ns, 390.3).")
  Double tmaxNs;

  @Option(names = "--efficiency", paramLabel = "CHAMBER.LAYER=E", description = "A layer's hit efficiency (default 0.95), e.g. --efficiency 1.3=0.6 (repeatable).")
  Map<String, Double> efficiency = new LinkedHashMap<>();

  public static void main(String[] args) {
    System.exit(CommandKit.execute("dtstream simulate", new Simulate(), args));
  }

  @Override
  public Integer call() throws Exception {
    List<String> settings = new ArrayList<>(List.of("seed=" + seed));
    if (!spec.isBlank()) {
      settings.add(spec);
    }
    delayNs.forEach((chamber, ns) -> settings.add("delay." + chamber + "=" + ns));
    if (tmaxNs != null) {
      settings.add("tmax=" + tmaxNs);
    }
    efficiency.forEach((layer, e) -> settings.add("efficiency." + layer + "=" + e));
    DetectorSimulation simulation;
    try {
      simulation = DetectorSimulation.fromSpec("sim:" + String.join(",", settings));
    } catch (IllegalArgumentException e) {
      throw new CommandKit.UsageError(e.getMessage());
    }
    writeCsv(simulation, rows, System.out);
    return 0;
  }

  /** The next {@code rows} rows of {@code simulation} as a CSV file with its header line. */
  static void writeCsv(DetectorSimulation simulation, long rows, OutputStream out) throws IOException {
    BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    writer.write("HEAD,FPGA,TDC_CHANNEL,ORBIT_CNT,BX_COUNTER,TDC_MEAS\n");
    for (long i = 0; i < rows; i++) {
      writer.write(simulation.next());
      writer.write('\n');
    }
    writer.flush();
  }

  /**
   * Puts a simulated run of {@code files} files named as the test stand's ({@code
   * data_000001.txt} ...) in {@code bucket} of a local S3 server, unless it holds objects already;
   * returns their count.
   */
  public static int fillIfEmpty(URI endpoint, String bucket, int files, long rowsPerFile, long seed)
      throws IOException {
    ObjectStore.local(endpoint).register();
    String prefix = "s3://" + bucket + "/";
    int existing = FileSystems.match(prefix + "**", EmptyMatchTreatment.ALLOW).metadata().size();
    if (existing > 0) {
      return existing;
    }
    DetectorSimulation simulation = DetectorSimulation.fromSpec("sim:seed=" + seed);
    for (int file = 1; file <= files; file++) {
      URI object = URI.create(prefix + String.format("data_%06d.txt", file));
      try (OutputStream out =
          Channels.newOutputStream(
              FileSystems.create(FileSystems.matchNewResource(object.toString(), false), "text/plain"))) {
        writeCsv(simulation, rowsPerFile, out);
      }
    }
    return files;
  }
}
