package io.dtstream.runners;

import io.dtstream.contract.cli.CommandKit;
import io.dtstream.contract.results.ResultMessage;
import io.dtstream.contract.results.ResultMessage.RangeHistogram;
import io.dtstream.quality.ChamberQuality;
import io.dtstream.quality.Status;
import io.dtstream.quality.TimeBox;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dtstream plot-timebox}: each chamber's fine drift-time histogram of a results message (an
 * {@code analyze --summary} output, say) with the fitted time-box edges drawn over it, as one PNG.
 */
@Command(
    name = "dtstream plot-timebox",
    mixinStandardHelpOptions = true,
    description = "Draws each chamber's time box (driftTimeFine) of a results message with its fitted edges, as a PNG.")
public final class TimeBoxPlot implements Callable<Integer> {
  @Option(names = "--input", required = true, description = "A file holding one results message (the first line is read), e.g. analyze --summary's output.")
  Path input;

  @Option(names = "--output", description = "The PNG to write (default: ${DEFAULT-VALUE}).")
  Path output = Path.of("timebox.png");

  public static void main(String[] args) {
    System.exit(CommandKit.execute("dtstream plot-timebox", new TimeBoxPlot(), args));
  }

  @Override
  public Integer call() throws IOException {
    List<String> lines = Files.readAllLines(input);
    if (lines.isEmpty() || lines.get(0).isBlank()) {
      throw new CommandKit.UsageError("no results message in " + input);
    }
    ResultMessage message;
    try {
      message = ResultMessage.fromJson(lines.get(0));
    } catch (IOException e) {
      throw new CommandKit.UsageError("not a results message: " + input);
    }
    List<XYChart> charts = new ArrayList<>();
    for (ResultMessage.Chamber chamber : message.chambers()) {
      if (chamber.driftTimeFine() == null) {
        throw new CommandKit.UsageError(input + " has no driftTimeFine: a message of an older pipeline");
      }
      charts.add(chart(chamber.chamber(), chamber.driftTimeFine(), ChamberQuality.of(chamber).timeBox()));
    }
    BitmapEncoder.saveBitmap(new ArrayList<>(charts), 2, 2, output.toString(), BitmapEncoder.BitmapFormat.PNG);
    String file = output.toString().endsWith(".png") ? output.toString() : output + ".png";
    System.out.println("dtstream plot-timebox: wrote " + file);
    return 0;
  }

  static XYChart chart(int chamber, RangeHistogram histogram, TimeBox fit) {
    String title = "Chamber " + chamber + (fit.status() == Status.ok
        ? String.format(Locale.ROOT, ": t0 = %.1f ± %.1f ns, Tmax = %.1f ± %.1f ns, v = %.1f um/ns",
            fit.t0Ns(), fit.t0ErrorNs(), fit.tMaxNs(), fit.tMaxErrorNs(), fit.driftVelocityUmPerNs())
        : ": fit " + fit.status());
    XYChart chart = new XYChartBuilder().width(700).height(420).title(title)
        .xAxisTitle("Drift time (ns)").yAxisTitle("Hits per 2.5 ns").build();
    chart.getStyler().setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    chart.getStyler().setLegendVisible(false);
    double[] edges = histogram.binEdges();
    long[] counts = histogram.counts();
    double[] x = new double[2 * counts.length];
    double[] y = new double[2 * counts.length];
    for (int i = 0; i < counts.length; i++) {
      x[2 * i] = edges[i];
      x[2 * i + 1] = edges[i + 1];
      y[2 * i] = counts[i];
      y[2 * i + 1] = counts[i];
    }
    chart.addSeries("entries", x, y).setMarker(SeriesMarkers.NONE).setLineColor(new Color(40, 90, 160));
    if (fit.edges() != null) {
      double[] t = new double[600];
      double[] curve = new double[t.length];
      for (int i = 0; i < t.length; i++) {
        t[i] = edges[0] + i * (edges[edges.length - 1] - edges[0]) / (t.length - 1);
        curve[i] = fit.edges().at(t[i]);
      }
      XYSeries fitted = chart.addSeries("fit", t, curve);
      fitted.setMarker(SeriesMarkers.NONE).setLineColor(new Color(200, 40, 40));
    }
    return chart;
  }
}
