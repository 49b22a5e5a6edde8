package io.dtstream.pipeline;

import io.dtstream.contract.cli.CommandKit;
import io.dtstream.contract.kafka.KafkaClientConfig;
import io.dtstream.contract.kafka.SecurityMismatch;
import io.dtstream.contract.kafka.Topics;
import io.dtstream.contract.metrics.MetricsEndpoint;
import io.dtstream.pipeline.kafka.EventTimePolicyFactory;
import io.dtstream.pipeline.transforms.ComputeDetectorStats;
import io.dtstream.pipeline.transforms.FormatResults;
import io.dtstream.pipeline.transforms.PipelineMeters;
import io.dtstream.pipeline.transforms.Windowing;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.ProducerRecordCoder;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.ExperimentalOptions;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.joda.time.Duration;

/**
 * {@code dtstream pipeline}: the streaming DQM pipeline. Reads CSV rows from Kafka, computes the
 * per-window quantities and writes one JSON message per window to the results topic, keyed by
 * window start, and malformed rows to the dead-letter topic. Runs until stopped.
 */
public final class StreamingPipeline {
  public static final String DEFAULT_CONSUMER_GROUP = "dtstream-pipeline";

  /** Where the first read of a new consumer group starts. */
  public enum StartFrom {
    latest,
    earliest
  }

  public interface Options extends WindowOptions, StreamingOptions {
    @Description("Kafka bootstrap servers, HOST:PORT[,HOST:PORT...].")
    @Default.String("127.0.0.1:9092")
    String getBootstrapServers();

    void setBootstrapServers(String value);

    @Description("Topic of the raw CSV rows (one row per record, or several separated by newlines).")
    @Default.String(Topics.RAW)
    String getInputTopic();

    void setInputTopic(String value);

    @Description("Topic of the results: one JSON message per window, keyed by window start.")
    @Default.String(Topics.RESULTS)
    String getOutputTopic();

    void setOutputTopic(String value);

    @Description("Topic of the malformed rows, as JSON {reason, line}.")
    @Default.String(Topics.DEAD_LETTERS)
    String getDeadLetterTopic();

    void setDeadLetterTopic(String value);

    @Description("Where a new consumer group starts reading: latest or earliest.")
    @Default.Enum("latest")
    StartFrom getStartFrom();

    void setStartFrom(StartFrom value);

    @Description(
        "Kafka consumer group; with --commitOffsets its committed offsets let a restarted "
            + "pipeline resume. On the SparkRunner and the FlinkRunner it also names the checkpoint folder.")
    @Default.String(DEFAULT_CONSUMER_GROUP)
    String getConsumerGroup();

    void setConsumerGroup(String value);

    @Description(
        "Commit the consumer group's offsets once rows are read. Off on the SparkRunner, whose "
            + "checkpoint folder keeps the read positions together with the window state: it "
            + "commits at the end of each read, before the rows are counted, so a restart from "
            + "those offsets would skip rows that a crash took away. The FlinkRunner commits "
            + "once a checkpoint holding the rows has completed.")
    @Default.Boolean(true)
    boolean getCommitOffsets();

    void setCommitOffsets(boolean value);

    @Description(
        "Seconds without input after which the watermark moves on by itself (past the last "
            + "window in detector time, with the wall clock in ingest time).")
    @Default.Integer(10)
    int getIdleSeconds();

    void setIdleSeconds(int value);

    @Description(
        "How far rows may arrive out of order (seconds, decimals allowed) before they count as late: "
            + "the watermark's slack. Default: 0.5 on the FlinkRunner, 2 elsewhere.")
    @Default.InstanceFactory(RunnerDefaults.MaxDelaySeconds.class)
    double getMaxDelaySeconds();

    void setMaxDelaySeconds(double value);

    @Description(
        "Drop the state in the runner's checkpoint folder before starting: a fresh start for this "
            + "consumer group. Without it, a checkpoint written with other topics or windows is "
            + "refused.")
    @Default.Boolean(false)
    boolean getDiscardCheckpoint();

    void setDiscardCheckpoint(boolean value);

    @Description(
        "A properties file of Kafka client settings (security, tuning) for every client; keys "
            + "prefixed consumer. or producer. apply to that client only.")
    @Default.String("")
    String getKafkaConfig();

    void setKafkaConfig(String value);

    @Description(
        "Serve the pipeline's meters (rows by kind, windows emitted, late rows) at "
            + "http://HOST:PORT/metrics for Prometheus, from the driver, on every runner (default: off).")
    Integer getMetricsPort();

    void setMetricsPort(Integer value);
  }

  private StreamingPipeline() {}

  public static void main(String[] args) {
    Cli.main(
        "pipeline",
        "The streaming pipeline: Kafka rows in, one JSON results message per window out. "
            + "Runs until stopped (Ctrl-C).",
        args,
        Options.class,
        StreamingPipeline::runUntilStopped);
  }

  static int runUntilStopped(Options options) {
    Integer port = options.getMetricsPort();
    if (MetricsEndpoint.portProblem(port) != null) {
      throw new CommandKit.UsageError(MetricsEndpoint.portProblem(port));
    }
    // Before the pipeline starts: a port that is taken fails the command at once.
    MetricsEndpoint metrics = port == null ? null : MetricsEndpoint.start(port);
    PipelineResult result = start(options);
    if (metrics != null) {
      PipelineMeters.register(result, metrics.registry());
      System.err.println("dtstream pipeline: " + metrics.describe());
    }
    // Spark stops its streaming context in its own shutdown hook; a second stop deadlocks it.
    if (!RunnerDefaults.isSpark(options.getRunner().getName())) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> cancelWithin(result, 15)));
    }
    System.err.println(
        "dtstream pipeline: running on " + options.getRunner().getSimpleName() + ", reading "
            + options.getInputTopic() + " at " + options.getBootstrapServers() + ", writing "
            + options.getOutputTopic() + " (Ctrl-C stops)");
    result.waitUntilFinish();
    return 0;
  }

  /**
   * Builds and starts the pipeline; cancel the result to stop it. With options parsed by {@link
   * Cli#parse} it returns while the pipeline runs, on every runner.
   */
  public static PipelineResult start(Options options) {
    maxDelay(options); // a bad value fails before anything starts
    RunnerDefaults.checkpointDir(options)
        .ifPresent(
            folder -> CheckpointGuard.check(folder, CheckpointGuard.shape(options), options.getDiscardCheckpoint()));
    RunnerDefaults.restore(options)
        .ifPresent(checkpoint -> System.err.println("dtstream pipeline: resuming from the checkpoint " + checkpoint));
    try {
      Topics.ensure(
          options.getBootstrapServers(),
          kafkaConfig(options).admin(),
          List.of(
              Topics.Spec.results(options.getOutputTopic()),
              Topics.Spec.of(options.getDeadLetterTopic(), 1)),
          java.time.Duration.ofSeconds(30));
    } catch (SecurityMismatch e) {
      throw new CommandKit.UsageError(e.getMessage());
    } catch (IllegalStateException e) {
      throw new CommandKit.UsageError(
          "Kafka is not reachable at --bootstrapServers=" + options.getBootstrapServers()
              + " (start it with: runners/dtstream kafka start)");
    }
    options.setStreaming(true);
    // The classic unbounded Kafka source: several times faster than the splittable-DoFn read
    // on the DirectRunner, and what the SparkRunner's streaming translation expects.
    ExperimentalOptions.addExperiment(options.as(ExperimentalOptions.class), "use_deprecated_read");
    Pipeline pipeline = Pipeline.create(options);
    buildPipeline(options, pipeline);
    return pipeline.run();
  }

  /** Kafka in, results and dead letters to Kafka. */
  public static void buildPipeline(Options options, Pipeline pipeline) {
    Windowing windowing = Windowing.fromOptions(options, false);
    KafkaClientConfig kafkaConfig = kafkaConfig(options);
    PCollectionTuple computed =
        pipeline
            // The records' bytes: rows are parsed from them directly, with no String per record.
            .apply("ReadRows", readRecords(options, kafkaConfig.consumer()))
            .apply("Rows", Values.create())
            .apply("ComputeDetectorStats", new ComputeDetectorStats(options.getTimeDomain(), windowing));

    String resultsTopic = options.getOutputTopic();
    String deadLetterTopic = options.getDeadLetterTopic();
    PCollection<ProducerRecord<String, String>> results =
        records(
            "ResultRecords",
            computed.get(ComputeDetectorStats.STATS).apply("FormatResults", new FormatResults(options.getTimeDomain())),
            kv -> new ProducerRecord<>(resultsTopic, kv.getKey(), kv.getValue()));
    PCollection<ProducerRecord<String, String>> deadLetters =
        records(
            "DeadLetterRecords",
            computed.get(ComputeDetectorStats.DEAD_LETTERS),
            dead -> new ProducerRecord<>(deadLetterTopic, dead.toJson()));
    // One sink for both topics: the SparkRunner runs every sink as jobs of its own in every
    // micro-batch (two per KafkaIO write), whatever the batch holds.
    PCollectionList.of(results)
        .and(deadLetters)
        .apply("Records", Flatten.pCollections())
        .apply(
            "WriteToKafka",
            KafkaIO.<String, String>writeRecords()
                .withBootstrapServers(options.getBootstrapServers())
                .withProducerConfigUpdates(kafkaConfig.producer())
                .withKeySerializer(StringSerializer.class)
                .withValueSerializer(StringSerializer.class));
  }

  /**
   * Elements as Kafka records for the one sink, out of their windows and triggers (the sink groups
   * nothing, and Flatten wants its inputs' triggers alike).
   */
  private static <T> PCollection<ProducerRecord<String, String>> records(
      String name, PCollection<T> elements, SerializableFunction<T, ProducerRecord<String, String>> record) {
    return elements
        .apply(name, MapElements.into(new TypeDescriptor<ProducerRecord<String, String>>() {}).via(record))
        .setCoder(ProducerRecordCoder.of(NullableCoder.of(StringUtf8Coder.of()), StringUtf8Coder.of()))
        .apply(
            name + "Unwindowed",
            Window.<ProducerRecord<String, String>>into(new GlobalWindows())
                .triggering(DefaultTrigger.of())
                .discardingFiredPanes());
  }

  private static KafkaClientConfig kafkaConfig(Options options) {
    try {
      return KafkaClientConfig.load(options.getKafkaConfig());
    } catch (IllegalArgumentException e) {
      throw new CommandKit.UsageError(e.getMessage());
    }
  }

  private static PTransform<PBegin, PCollection<KV<byte[], byte[]>>> readRecords(
      Options options, Map<String, Object> consumerConfig) {
    Duration window = Duration.standardSeconds(options.getWindowSeconds());
    Map<String, Object> config = new HashMap<>(consumerConfig);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, options.getConsumerGroup());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, options.getStartFrom().name());
    KafkaIO.Read<byte[], byte[]> read =
        KafkaIO.<byte[], byte[]>read()
            .withBootstrapServers(options.getBootstrapServers())
            .withTopic(options.getInputTopic())
            .withKeyDeserializer(ByteArrayDeserializer.class)
            .withValueDeserializer(ByteArrayDeserializer.class)
            .withConsumerConfigUpdates(config)
            .withTimestampPolicyFactory(
                new EventTimePolicyFactory(
                    options.getTimeDomain(),
                    maxDelay(options),
                    Duration.standardSeconds(options.getIdleSeconds()),
                    window,
                    Duration.standardSeconds(options.getAllowedLatenessSeconds()).dividedBy(2),
                    Duration.standardSeconds(options.getAllowedLatenessSeconds())));
    return (options.getCommitOffsets() ? read.commitOffsetsInFinalize() : read).withoutMetadata();
  }

  /** The watermark's slack, {@code --maxDelaySeconds}, to the millisecond. */
  static Duration maxDelay(Options options) {
    double seconds = options.getMaxDelaySeconds();
    if (!(seconds >= 0 && seconds <= 3600)) {
      throw new CommandKit.UsageError("--maxDelaySeconds must be between 0 and 3600, not " + seconds);
    }
    return Duration.millis(Math.round(seconds * 1000));
  }

  /** Cancels on SIGINT/SIGTERM, but never holds the JVM's exit longer than {@code seconds}. */
  private static void cancelWithin(PipelineResult result, int seconds) {
    Thread cancel =
        new Thread(
            () -> {
              try {
                result.cancel();
              } catch (Exception | LinkageError e) {
                // already stopping
              }
            },
            "cancel-pipeline");
    cancel.setDaemon(true);
    cancel.start();
    try {
      cancel.join(seconds * 1000L);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
