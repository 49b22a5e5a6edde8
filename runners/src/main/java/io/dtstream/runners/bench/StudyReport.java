package io.dtstream.runners.bench;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Turns the benchmark CSV files ({@code throughput.csv}, {@code latency.csv}) into PNG plots and a
 * {@code README.md} with the full tables. The study varies one factor at a time around a baseline,
 * so each plot keeps only the rows where the other factors are at the baseline.
 */
public final class StudyReport {
  private static final List<String> THROUGHPUT_COLUMNS = List.of("date", "machine", "runner", "master",
      "partitions", "rowsPerMessage", "windowSeconds", "rows", "rowsPerSecond", "ceilingRowsPerSecond", "ratio",
      "exact", "heapPeakMb");
  private static final List<String> LATENCY_COLUMNS = List.of("date", "machine", "runner", "master",
      "partitions", "rowsPerMessage", "windowSeconds", "rate", "windows", "p50Seconds", "p99Seconds", "maxSeconds",
      "keepsUp", "heapPeakMb");
  /** What identifies a run's setup; a later run with the same setup replaces an earlier one in the plots. */
  private static final List<String> SETUP = List.of("runner", "master", "partitions", "rowsPerMessage",
      "windowSeconds");
  private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0x2ca02c), new Color(0x9467bd),
      new Color(0xff7f0e), new Color(0x8c564b)};
  private static final String BASELINE =
      "SparkRunner local[2] (FlinkRunner: embedded), 4 partitions, 100 rows/message, 5 s windows";

  /** The study's factors, each with its baseline value. */
  private enum Factor {
    RUNNER(row -> row.text("runner").equals("SparkRunner")),
    // Each runner at its own baseline: Spark's local[2], Flink's embedded (parallelism 2); the
    // DirectRunner has no master.
    MASTER(row -> switch (row.text("runner")) {
      case "SparkRunner" -> row.text("master").equals("local[2]");
      case "FlinkRunner" -> row.text("master").equals("embedded");
      default -> true;
    }),
    PARTITIONS(row -> row.number("partitions") == 4),
    ROWS_PER_MESSAGE(row -> row.number("rowsPerMessage") == 100),
    WINDOW(row -> row.number("windowSeconds") == 5);

    final Predicate<Row> atBaseline;

    Factor(Predicate<Row> atBaseline) {
      this.atBaseline = atBaseline;
    }
  }

  /** One CSV line, its cells by column name; {@code where} names the file and line for errors. */
  private record Row(String where, Map<String, String> cells) {
    String text(String column) {
      return cells.get(column);
    }

    double number(String column) {
      try {
        return Double.parseDouble(text(column));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(where + ": " + column + " is not a number: '" + text(column) + "'");
      }
    }

    boolean flag(String column) {
      return switch (text(column)) {
        case "true" -> true;
        case "false" -> false;
        default -> throw new IllegalArgumentException(where + ": " + column + " is not true/false: '" + text(column) + "'");
      };
    }
  }

  /** A plotted set of bars: a name, its rows and the column it shows. */
  private record Series(String name, List<Row> rows, String column) {}

  /** A bar chart of rows/s, one group of bars per value of {@code xColumn}. */
  private record Plot(String file, String title, String xTitle, String xColumn, List<Series> series) {}

  private StudyReport() {}

  /** Writes the plots that have data and README.md into {@code outputFolder}; returns the files written. */
  public static List<Path> write(Path csvFolder, Path outputFolder) throws IOException {
    List<Row> throughput = read(csvFolder.resolve("throughput.csv"), THROUGHPUT_COLUMNS);
    List<Row> latency = read(csvFolder.resolve("latency.csv"), LATENCY_COLUMNS);
    // The tables touch every cell, so bad input fails here, before any file is written.
    String tables = throughputTable(throughput) + latencyTable(latency);

    System.setProperty("java.awt.headless", "true");
    Files.createDirectories(outputFolder);
    List<Path> written = new ArrayList<>();
    StringBuilder plots = new StringBuilder("## Plots\n\n");
    List<Row> steps = latest(holding(latency, Factor.RUNNER, Factor.MASTER, Factor.ROWS_PER_MESSAGE),
        concat(SETUP, List.of("rate")));
    if (steps.isEmpty()) {
      plots.append(skipped("Window delay vs input rate", "latency"));
    } else {
      Path file = outputFolder.resolve("window-delay-vs-rate.png");
      save(delayChart(steps), file, written);
      plots.append(link("Window delay vs input rate", file));
    }
    List<Row> runs = latest(throughput, SETUP);
    List<Plot> throughputPlots = List.of(
        new Plot("throughput-vs-partitions.png", "Throughput vs Kafka partitions", "Kafka partitions", "partitions",
            pipelineAndCeiling(holding(runs, Factor.PARTITIONS))),
        new Plot("throughput-vs-parallelism.png", "Throughput vs parallelism", "Master", "master",
            perRunner(holding(runs, Factor.RUNNER, Factor.MASTER).stream()
                .filter(row -> !row.text("master").equals("-")).toList())),
        new Plot("throughput-vs-rows-per-message.png", "Throughput vs rows per Kafka message", "Rows per message",
            "rowsPerMessage", perRunner(holding(runs, Factor.RUNNER, Factor.ROWS_PER_MESSAGE))),
        new Plot("throughput-vs-window.png", "Throughput vs window size", "Window (s)", "windowSeconds",
            pipelineAndCeiling(holding(runs, Factor.WINDOW))));
    for (Plot plot : throughputPlots) {
      if (plot.series().isEmpty()) {
        plots.append(skipped(plot.title(), "throughput"));
      } else {
        Path file = outputFolder.resolve(plot.file());
        save(categoryChart(plot), file, written);
        plots.append(link(plot.title(), file));
      }
    }

    Path readme = outputFolder.resolve("README.md");
    Files.writeString(readme, title(concat(throughput, latency)) + tables + plots, StandardCharsets.UTF_8);
    written.add(readme);
    return written;
  }

  // ---- CSV ----

  /** The file's rows, or none if it does not exist; cells are looked up by header name. */
  private static List<Row> read(Path file, List<String> required) throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    String name = file.getFileName().toString();
    if (lines.isEmpty()) {
      return List.of();
    }
    List<String> header = CsvLog.currentNames(cells(lines.get(0)));
    for (String column : required) {
      if (!header.contains(column)) {
        throw new IOException(name + " line 1: the header has no column '" + column + "'");
      }
    }
    List<Row> rows = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      List<String> cells = cells(lines.get(i));
      String where = name + " line " + (i + 1);
      if (cells.size() != header.size()) {
        throw new IOException(where + ": " + cells.size() + " fields, the header has " + header.size());
      }
      Map<String, String> byColumn = new HashMap<>();
      for (int c = 0; c < header.size(); c++) {
        byColumn.put(header.get(c), cells.get(c));
      }
      rows.add(new Row(where, byColumn));
    }
    return rows;
  }

  private static List<String> cells(String line) {
    return Arrays.stream(line.split(",", -1)).map(String::trim).toList();
  }

  /** The latest row (by date; ISO-8601 UTC instants sort as text) for each distinct {@code key}. */
  private static List<Row> latest(List<Row> rows, List<String> key) {
    Map<List<String>, Row> byKey = new LinkedHashMap<>();
    for (Row row : rows) {
      List<String> id = key.stream().map(row::text).toList();
      byKey.merge(id, row, (old, now) -> now.text("date").compareTo(old.text("date")) >= 0 ? now : old);
    }
    return new ArrayList<>(byKey.values());
  }

  /** The rows where every factor other than {@code varied} is at the baseline. */
  private static List<Row> holding(List<Row> rows, Factor... varied) {
    EnumSet<Factor> held = EnumSet.complementOf(EnumSet.copyOf(Arrays.asList(varied)));
    return rows.stream().filter(row -> held.stream().allMatch(f -> f.atBaseline.test(row))).toList();
  }

  // ---- plots ----

  private static List<Series> pipelineAndCeiling(List<Row> rows) {
    return rows.isEmpty() ? List.of() : List.of(new Series("pipeline", rows, "rowsPerSecond"),
        new Series("Kafka ceiling", rows, "ceilingRowsPerSecond"));
  }

  private static List<Series> perRunner(List<Row> rows) {
    return groups(rows, row -> row.text("runner")).entrySet().stream()
        .map(group -> new Series(group.getKey(), group.getValue(), "rowsPerSecond")).toList();
  }

  /** Bars per category of {@code xColumn}; categories sort as numbers where they are numbers. */
  private static CategoryChart categoryChart(Plot plot) {
    CategoryChart chart = new CategoryChartBuilder().width(800).height(500).title(plot.title())
        .xAxisTitle(plot.xTitle()).yAxisTitle("Throughput (rows/s)").build();
    String xColumn = plot.xColumn();
    List<Series> series = plot.series();
    style(chart.getStyler());
    chart.getStyler().setYAxisDecimalPattern("#,##0");
    // The pipeline is often a few percent of the ceiling: print the values so its bars stay readable.
    chart.getStyler().setLabelsVisible(true).setLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    chart.getStyler().setLabelsFontColorAutomaticEnabled(false).setLabelsFontColor(Color.BLACK);
    chart.getStyler().setLabelsPosition(1.0).setSeriesColors(PALETTE);
    Comparator<String> order = Comparator.<String>comparingDouble(StudyReport::numberOrInfinity)
        .thenComparing(Comparator.naturalOrder());
    TreeSet<String> categories = new TreeSet<>(order);
    series.forEach(s -> s.rows().forEach(row -> categories.add(row.text(xColumn))));
    for (Series s : series) {
      // Every series gets every category (null where it has no run) so the bars line up.
      Map<String, Double> values = s.rows().stream()
          .collect(Collectors.toMap(row -> row.text(xColumn), row -> row.number(s.column()), (a, b) -> b));
      chart.addSeries(s.name(), new ArrayList<>(categories), categories.stream().map(values::get).toList());
    }
    return chart;
  }

  /** p50 (solid) and p99 (dashed) delay per runner setup, with red crosses where the pipeline fell behind. */
  private static XYChart delayChart(List<Row> steps) {
    XYChart chart = new XYChartBuilder().width(800).height(500).title("Window delay vs input rate")
        .xAxisTitle("Input rate (rows/s)").yAxisTitle("Delay after window end (s)").build();
    style(chart.getStyler());
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW).setLegendLayout(Styler.LegendLayout.Vertical);
    // A linear axis: XChart's log axis crowds its labels between decades, and the knee is at high rates anyway.
    chart.getStyler().setXAxisDecimalPattern("#,##0");
    Function<Row, String> setup = row -> row.text("runner") + ("-".equals(row.text("master")) ? ""
        : " " + row.text("master")) + ", " + grouped(row, "rowsPerMessage") + " rows/msg";
    int next = 0;
    for (Map.Entry<String, List<Row>> group : groups(steps, setup).entrySet()) {
      Color color = PALETTE[next++ % PALETTE.length];
      List<Row> rows = group.getValue().stream().sorted(Comparator.comparingDouble(r -> r.number("rate"))).toList();
      List<Double> rates = rows.stream().map(r -> r.number("rate")).toList();
      for (String percentile : List.of("p50", "p99")) {
        XYSeries series = chart.addSeries(group.getKey() + " " + percentile, rates,
            rows.stream().map(r -> r.number(percentile + "Seconds")).toList());
        series.setMarker(SeriesMarkers.CIRCLE).setMarkerColor(color);
        series.setLineColor(color).setLineStyle(percentile.equals("p50") ? SeriesLines.SOLID : SeriesLines.DASH_DASH);
      }
    }
    List<Row> behind = steps.stream().filter(row -> !row.flag("keepsUp")).toList();
    if (!behind.isEmpty()) {
      chart.addSeries("falls behind (at its p99)", behind.stream().map(r -> r.number("rate")).toList(),
              behind.stream().map(r -> r.number("p99Seconds")).toList())
          .setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter)
          .setMarker(SeriesMarkers.CROSS).setMarkerColor(Color.RED);
    }
    return chart;
  }

  private static void style(AxesChartStyler styler) {
    styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
    styler.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
    styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    styler.setLegendPosition(Styler.LegendPosition.OutsideS).setLegendLayout(Styler.LegendLayout.Horizontal);
    styler.setMarkerSize(8);
  }

  private static void save(Chart<?, ?> chart, Path file, List<Path> written) throws IOException {
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapFormat.PNG);
    written.add(file);
  }

  // ---- Markdown ----

  private static String title(List<Row> rows) {
    if (rows.isEmpty()) {
      return "# Benchmark study\n\nNo benchmark results yet (no throughput.csv or latency.csv rows).\n\n";
    }
    TreeSet<String> days = rows.stream().map(r -> r.text("date").substring(0, Math.min(10, r.text("date").length())))
        .collect(Collectors.toCollection(TreeSet::new));
    String range = days.size() == 1 ? days.first() : days.first() + " to " + days.last();
    String machines = rows.stream().map(r -> r.text("machine")).distinct().collect(Collectors.joining(", "));
    return "# Benchmark study, " + range + ", " + machines + "\n\nBaseline: " + BASELINE
        + ". Each plot varies one factor and holds the others at the baseline; it shows the latest run of each setup.\n\n";
  }

  private static String throughputTable(List<Row> rows) {
    return table("Throughput", rows, List.of("rowsPerMessage", "windowSeconds"),
        "| Date | Runner | Master | Partitions | Rows/msg | Window (s) | Rows | Rows/s | Kafka ceiling (rows/s) "
            + "| Ratio | Exact | Heap peak (MB) | Work limit (rows/s) | Work ratio |",
        row -> List.of(grouped(row, "rows"), grouped(row, "rowsPerSecond"), grouped(row, "ceilingRowsPerSecond"),
            decimals(row, "ratio", 3), row.flag("exact") ? "yes" : "**no**", grouped(row, "heapPeakMb"),
            optional(row, "workLimitRowsPerSecond", () -> grouped(row, "workLimitRowsPerSecond")),
            optional(row, "workRatio", () -> decimals(row, "workRatio", 3))));
  }

  private static String latencyTable(List<Row> rows) {
    return table("Latency", rows, List.of("rowsPerMessage", "windowSeconds", "rate"),
        "| Date | Runner | Master | Partitions | Rows/msg | Window (s) | Rate (rows/s) | Windows | p50 (s) "
            + "| p99 (s) | Max (s) | Keeps up | Heap peak (MB) |",
        row -> List.of(grouped(row, "windows"), decimals(row, "p50Seconds", 2), decimals(row, "p99Seconds", 2),
            decimals(row, "maxSeconds", 2), row.flag("keepsUp") ? "yes" : "**no**", grouped(row, "heapPeakMb")));
  }

  /** All rows, sorted by setup then date; each line is the setup's cells then {@code results}. */
  private static String table(String title, List<Row> rows, List<String> numericSetup, String header,
      Function<Row, List<String>> results) {
    if (rows.isEmpty()) {
      return "## " + title + "\n\nNo " + title.toLowerCase(Locale.ROOT) + " results.\n\n";
    }
    Comparator<Row> order = Comparator.<Row, String>comparing(r -> r.text("runner"))
        .thenComparing(r -> r.text("master")).thenComparingDouble(r -> r.number("partitions"));
    for (String column : numericSetup) {
      order = order.thenComparingDouble(r -> r.number(column));
    }
    StringBuilder text = new StringBuilder("## " + title + "\n\n" + header + "\n");
    text.append(header.replaceAll("[^|]+", " --- ")).append('\n');
    for (Row row : rows.stream().sorted(order.thenComparing(r -> r.text("date"))).toList()) {
      List<String> cells = new ArrayList<>(List.of(row.text("date"), row.text("runner"), row.text("master"),
          grouped(row, "partitions")));
      numericSetup.forEach(column -> cells.add(grouped(row, column)));
      cells.addAll(results.apply(row));
      text.append("| ").append(cells.stream().map(c -> c.replace("|", "\\|")).collect(Collectors.joining(" | ")))
          .append(" |\n");
    }
    return text.append('\n').toString();
  }

  private static String link(String title, Path file) {
    return "![" + title + "](" + file.getFileName() + ")\n\n";
  }

  private static String skipped(String title, String file) {
    return "_" + title + ": skipped, no " + file + " rows at the baseline for the other factors._\n\n";
  }

  // ---- small helpers ----

  private static String grouped(Row row, String column) {
    return String.format(Locale.ROOT, "%,.0f", row.number(column));
  }

  /** A column that runs before it was added do not have: "-" there. */
  private static String optional(Row row, String column, java.util.function.Supplier<String> value) {
    String text = row.text(column);
    return text == null || text.isBlank() ? "-" : value.get();
  }

  private static String decimals(Row row, String column, int places) {
    return String.format(Locale.ROOT, "%." + places + "f", row.number(column));
  }

  private static double numberOrInfinity(String text) {
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      return Double.POSITIVE_INFINITY;
    }
  }

  private static Map<String, List<Row>> groups(List<Row> rows, Function<Row, String> by) {
    return rows.stream().collect(Collectors.groupingBy(by, java.util.TreeMap::new, Collectors.toList()));
  }

  private static <T> List<T> concat(Collection<T> a, Collection<T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
