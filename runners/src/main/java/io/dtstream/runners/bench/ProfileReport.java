package io.dtstream.runners.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a profiled pipeline spent its CPU, from the flight recording's execution samples: the
 * methods on top of the stack (self time), the methods anywhere on it (total time), and the
 * threads. Written as plain text beside the benchmark's CSV files.
 */
final class ProfileReport {
  private static final int TOP = 30;

  /**
   * What the pipeline's work is made of, by the innermost frame that belongs to it: the first
   * rule matching a frame, from the top of the stack down, names the sample.
   */
  private static final List<Map.Entry<String, String>> ACTIVITIES =
      List.of(
          Map.entry("io.dtstream.contract.model.RowParser", "parse rows"),
          Map.entry("io.dtstream.pipeline.stats.OrbitBlockCoder", "encode/decode (coders)"),
          Map.entry("io.dtstream.pipeline.stats.DetectorStatsCoder", "encode/decode (coders)"),
          Map.entry("io.dtstream.pipeline.stats.PackedBytes", "encode/decode (coders)"),
          Map.entry("org.apache.beam.sdk.util.VarInt", "encode/decode (coders)"),
          Map.entry("org.apache.beam.sdk.coders.", "encode/decode (coders)"),
          Map.entry("org.apache.beam.runners.spark.coders.", "encode/decode (coders)"),
          Map.entry("io.dtstream.pipeline.", "summarize and combine (dtstream)"),
          Map.entry("org.apache.kafka.", "Kafka client"),
          Map.entry("org.apache.beam.runners.", "Beam runner (state, triggers, bundles)"),
          Map.entry("org.apache.beam.sdk.", "Beam SDK"),
          Map.entry("org.apache.spark.serializer.", "Spark serialization"),
          Map.entry("org.apache.spark.", "Spark (scheduling, storage, checkpoints)"),
          Map.entry("java.io.ObjectInputStream", "Java serialization"),
          Map.entry("java.io.ObjectOutputStream", "Java serialization"),
          Map.entry("java.util.zip.", "class loading"),
          Map.entry("jdk.internal.loader.", "class loading"),
          Map.entry("java.lang.ClassLoader", "class loading"));

  private final Map<String, Integer> activities = new HashMap<>();
  private final Map<String, Integer> self = new HashMap<>();
  private final Map<String, Integer> total = new HashMap<>();
  private final Map<String, Integer> threads = new HashMap<>();
  private int samples;

  static Path write(Path recording, Path report) throws IOException {
    ProfileReport profile = new ProfileReport();
    for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
      if (event.getEventType().getName().equals("jdk.ExecutionSample")) {
        profile.add(event);
      }
    }
    Files.writeString(report, profile.toText(recording));
    return report;
  }

  private void add(RecordedEvent sample) {
    if (sample.getStackTrace() == null || sample.getStackTrace().getFrames().isEmpty()) {
      return;
    }
    samples++;
    List<RecordedFrame> frames = sample.getStackTrace().getFrames();
    self.merge(name(frames.get(0).getMethod()), 1, Integer::sum);
    activities.merge(activity(frames), 1, Integer::sum);
    Set<String> seen = new HashSet<>();
    for (RecordedFrame frame : frames) {
      String method = name(frame.getMethod());
      if (seen.add(method)) {
        total.merge(method, 1, Integer::sum);
      }
    }
    RecordedThread thread = sample.getThread("sampledThread");
    String threadName = thread == null || thread.getJavaName() == null ? "?" : thread.getJavaName();
    threads.merge(threadName.replaceAll("\\d+", "N"), 1, Integer::sum); // one line per pool
  }

  private static String activity(List<RecordedFrame> frames) {
    for (RecordedFrame frame : frames) {
      String type = frame.getMethod().getType().getName();
      for (Map.Entry<String, String> rule : ACTIVITIES) {
        if (type.startsWith(rule.getKey())) {
          return rule.getValue();
        }
      }
    }
    return "other (JDK)";
  }

  private static String name(RecordedMethod method) {
    return method.getType().getName() + "." + method.getName();
  }

  private String toText(Path recording) {
    StringBuilder text = new StringBuilder();
    text.append("Profile of ").append(recording.getFileName()).append(": ").append(samples).append(" CPU samples\n");
    section(text, "Activities (by the innermost frame of a known kind)", activities);
    section(text, "Threads", threads);
    section(text, "Self (method on top of the stack)", self);
    section(text, "Total (method anywhere on the stack)", total);
    return text.toString();
  }

  private void section(StringBuilder text, String title, Map<String, Integer> counts) {
    text.append('\n').append(title).append('\n');
    List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
    sorted.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
    for (Map.Entry<String, Integer> entry : sorted.subList(0, Math.min(TOP, sorted.size()))) {
      text.append(String.format(Locale.ROOT, "%6.1f%%  %s%n", 100.0 * entry.getValue() / Math.max(1, samples), entry.getKey()));
    }
  }
}
