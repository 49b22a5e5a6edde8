package io.dtstream.runners.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The streaming pipeline in its own JVM, started through the launcher exactly as a user would,
 * with a heap limit; records when it read its first record, and samples its used heap.
 */
final class PipelineProcess implements AutoCloseable {
  private final Process process;
  private final Path firstReadFile;
  private final Path log;
  private final AtomicLong heapPeakKb = new AtomicLong();
  private final Thread heapSampler;
  private final Path recording; // null unless profiled

  private PipelineProcess(Process process, Path firstReadFile, Path log, Path recording)
      throws IOException {
    this.process = process;
    this.recording = recording;
    this.firstReadFile = firstReadFile;
    this.log = log;
    this.heapSampler = sampleHeap();
  }

  /** Starts {@code dtstream pipeline} reading {@code inputTopic} from its start. */
  static PipelineProcess start(
      BenchSettings settings, String bootstrapServers, String inputTopic, String timeDomain, Path workDir)
      throws IOException {
    String launcher = System.getenv("DTSTREAM_LAUNCHER");
    if (launcher == null) {
      throw new IllegalStateException("run the benchmarks through runners/dtstream bench");
    }
    Files.createDirectories(workDir);
    Path firstRead = workDir.resolve("first-read-" + inputTopic);
    Path kafkaConfig = workDir.resolve("kafka-" + inputTopic + ".properties");
    Files.writeString(
        kafkaConfig,
        "consumer.interceptor.classes=" + FirstReadRecorder.class.getName() + "\n"
            + "consumer." + FirstReadRecorder.FILE_CONFIG + "=" + firstRead.toAbsolutePath() + "\n");
    List<String> command =
        new ArrayList<>(
            List.of(
                launcher, "pipeline",
                "--runner=" + settings.runner,
                "--bootstrapServers=" + bootstrapServers,
                "--inputTopic=" + inputTopic,
                "--outputTopic=" + inputTopic + ".out",
                "--deadLetterTopic=" + inputTopic + ".dlq",
                "--startFrom=earliest",
                "--consumerGroup=bench-" + inputTopic,
                "--timeDomain=" + timeDomain,
                "--windowSeconds=" + settings.windowSeconds,
                "--kafkaConfig=" + kafkaConfig.toAbsolutePath()));
    // The interceptor that times the first read lives here, not in the pipeline: the pipeline's
    // JVM gets it on its classpath, and a cluster's executors get it staged beside the pipeline.
    String recorder = recorderLocation();
    String checkpoints = workDir.resolve("checkpoints-" + inputTopic).toAbsolutePath().toString();
    String pipelineJar = null;
    if (settings.runner.equals("SparkRunner")) {
      command.add("--sparkMaster=" + settings.sparkMaster);
      command.add("--checkpointDir=" + checkpoints);
      pipelineJar = System.getenv("DTSTREAM_PIPELINE_JAR");
    }
    if (settings.runner.equals("FlinkRunner")) {
      command.add("--flinkMaster=" + settings.flinkMaster);
      command.add("--stateBackendStoragePath=" + checkpoints);
      pipelineJar = System.getenv("DTSTREAM_FLINK_PIPELINE_JAR");
    }
    if (settings.onCluster() && pipelineJar != null) {
      command.add("--filesToStage=" + pipelineJar + "," + recorder);
    }
    command.addAll(settings.pipelineOptions);
    Path log = workDir.resolve("pipeline-" + inputTopic + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    String javaOptions = "-Xmx" + settings.pipelineHeap;
    Path recording = workDir.resolve("profile-" + inputTopic + ".jfr");
    if (settings.profile) {
      javaOptions += " -XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + recording.toAbsolutePath();
    }
    builder.environment().put("JAVA_OPTS", javaOptions);
    builder.environment().put("DTSTREAM_EXTRA_CLASSPATH", recorder);
    return new PipelineProcess(builder.start(), firstRead, log, settings.profile ? recording : null);
  }

  /** The jar or folder {@link FirstReadRecorder} is loaded from. */
  private static String recorderLocation() {
    try {
      return Path.of(FirstReadRecorder.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** When the pipeline read its first record (epoch ms), once it has. */
  OptionalLong firstReadMillis() throws IOException {
    return Files.exists(firstReadFile)
        ? OptionalLong.of(Long.parseLong(Files.readString(firstReadFile).trim()))
        : OptionalLong.empty();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  Path log() {
    return log;
  }

  /** The flight recording, once the pipeline has stopped, if it was profiled. */
  Optional<Path> recording() {
    return Optional.ofNullable(recording).filter(Files::exists);
  }

  /** The most heap the pipeline used at once, from the JVM's own GC counters (jstat), in MiB. */
  long heapPeakMb() {
    return heapPeakKb.get() / 1024;
  }

  @Override
  public void close() {
    heapSampler.interrupt();
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /**
   * jstat -gc every second: used heap = survivor + eden + old (KiB). Retried until the JVM is up
   * (the launcher becomes the JVM only after its build check).
   */
  private Thread sampleHeap() {
    Path jstat = Path.of(System.getProperty("java.home"), "bin", "jstat");
    Thread sampler =
        new Thread(
            () -> {
              while (process.isAlive() && !Thread.currentThread().isInterrupted()) {
                try {
                  Process gcStats =
                      new ProcessBuilder(jstat.toString(), "-gc", Long.toString(process.pid()), "1000")
                          .redirectErrorStream(true)
                          .start();
                  try {
                    readHeapSamples(gcStats);
                  } finally {
                    gcStats.destroy();
                  }
                  Thread.sleep(1000);
                } catch (IOException e) {
                  return;
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "heap-sampler");
    sampler.setDaemon(true);
    sampler.start();
    return sampler;
  }

  private void readHeapSamples(Process gcStats) throws IOException {
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(gcStats.getInputStream(), StandardCharsets.UTF_8))) {
      List<String> header = null;
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        List<String> fields = List.of(line.trim().split("\\s+"));
        if (fields.contains("EU")) {
          header = fields;
        } else if (header != null && fields.size() == header.size()) {
          double used = 0;
          for (String column : List.of("S0U", "S1U", "EU", "OU")) {
            used += Double.parseDouble(fields.get(header.indexOf(column)));
          }
          heapPeakKb.accumulateAndGet((long) used, Math::max);
        }
      }
    }
  }
}
