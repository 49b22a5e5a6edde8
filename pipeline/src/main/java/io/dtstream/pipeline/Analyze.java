package io.dtstream.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dtstream.contract.cli.CommandKit;
import io.dtstream.contract.results.ResultMessage;
import io.dtstream.pipeline.transforms.ComputeDetectorStats;
import io.dtstream.pipeline.transforms.FormatResults;
import io.dtstream.pipeline.transforms.Windowing;
import io.dtstream.quality.ChamberQuality;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.WithTimestamps;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * {@code dtstream analyze}: the pipeline's transforms over files, in batch. Prints one JSON
 * results message per window, ordered by window start, or one message over the whole input with
 * each chamber's fitted {@code quality}.
 */
public final class Analyze {
  private static final ObjectMapper JSON = new ObjectMapper();

  public interface Options extends WindowOptions {
    @Description("CSV file, folder or glob to analyse (local paths; s3:// is inject's).")
    @Validation.Required
    String getInput();

    void setInput(String value);

    @Description(
        "Print a single message whose window spans the whole input, with totals over all rows "
            + "and each chamber's quality: the fitted time box, the meantimer peak, the layer "
            + "efficiencies and the resolution.")
    @Default.Boolean(false)
    boolean isSummary();

    void setSummary(boolean value);
  }

  private Analyze() {}

  public static void main(String[] args) {
    Cli.main(
        "analyze",
        "Runs the pipeline's transforms over CSV files and prints one JSON results message per "
            + "window (or one --summary) on stdout.",
        args,
        Options.class,
        Analyze::analyze);
  }

  static int analyze(Options options) throws IOException {
    resolveInput(options);
    Path outputDir = Files.createTempDirectory("dtstream-analyze");
    try {
      Path output = outputDir.resolve("results.jsonl");
      Pipeline pipeline = Pipeline.create(options);
      buildPipeline(options, pipeline)
          .apply("Messages", Values.create())
          .apply("WriteMessages", TextIO.write().to(output.toString()).withoutSharding());
      pipeline.run().waitUntilFinish();
      printInWindowOrder(output, options.isSummary());
    } finally {
      Folders.deleteRecursively(outputDir);
    }
    return 0;
  }

  /** Files in, results messages keyed by window start out. */
  public static PCollection<KV<String, String>> buildPipeline(Options options, Pipeline pipeline) {
    TimeDomain timeDomain = options.getTimeDomain();
    PCollection<String> lines = pipeline.apply("ReadFiles", TextIO.read().from(options.getInput()));
    if (timeDomain == TimeDomain.ingest) {
      lines = lines.apply("StampReadTime", WithTimestamps.of(line -> org.joda.time.Instant.now()));
    }
    return lines
        .apply("LineBytes", ComputeDetectorStats.utf8Bytes())
        .apply(
            "ComputeDetectorStats",
            new ComputeDetectorStats(timeDomain, Windowing.fromOptions(options, options.isSummary())))
        .get(ComputeDetectorStats.STATS)
        .apply("FormatResults", new FormatResults(timeDomain));
  }

  /** Checks the options and resolves --input: a folder stands for all the files in it. */
  private static void resolveInput(Options options) throws IOException {
    if (options.getWindowSeconds() <= 0) {
      throw new CommandKit.UsageError("--windowSeconds must be positive, got " + options.getWindowSeconds());
    }
    // Beam's S3 file system is the injector's (with its S3 options), not on analyze's classpath.
    if (options.getInput().matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") && !options.getInput().startsWith("file://")) {
      throw new CommandKit.UsageError("--input: analyze reads local files, got " + options.getInput()
          + " (copy the objects first, e.g. aws s3 cp --recursive s3://BUCKET/PREFIX DIR, or replay them with inject)");
    }
    FileSystems.setDefaultPipelineOptions(options);
    if (matchFiles(options.getInput()).stream().anyMatch(f -> f.resourceId().isDirectory())) {
      options.setInput(options.getInput().replaceAll("/*$", "") + "/*");
    }
    if (matchFiles(options.getInput()).isEmpty()) {
      throw new CommandKit.UsageError("no file matches --input=" + options.getInput());
    }
  }

  private static List<MatchResult.Metadata> matchFiles(String spec) throws IOException {
    MatchResult match = FileSystems.match(spec);
    return match.status() == MatchResult.Status.OK ? match.metadata() : List.of();
  }

  private static void printInWindowOrder(Path output, boolean withQuality) throws IOException {
    if (!Files.exists(output)) {
      return;
    }
    List<ObjectNode> messages = new ArrayList<>();
    for (String line : Files.readAllLines(output)) {
      messages.add((ObjectNode) JSON.readTree(line));
    }
    messages.sort(Comparator.comparing(m -> Instant.parse(m.path("window").path("start").asText())));
    for (ObjectNode message : messages) {
      if (withQuality) {
        addQuality(message);
      }
      System.out.println(message);
    }
  }

  /** Each chamber's fits and quality values (README, "DQM physics"), as {@code quality}. */
  private static void addQuality(ObjectNode message) throws IOException {
    List<ResultMessage.Chamber> chambers = ResultMessage.fromTree(message).chambers();
    for (int c = 0; c < chambers.size(); c++) {
      ((ObjectNode) message.path("chambers").get(c)).set("quality", JSON.valueToTree(ChamberQuality.of(chambers.get(c))));
    }
  }
}
