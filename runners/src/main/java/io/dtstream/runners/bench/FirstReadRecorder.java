package io.dtstream.runners.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A consumer interceptor for benchmarks: writes the wall-clock time (epoch ms) of the first
 * records any consumer of this JVM reads to the file named by {@code dtstream.firstReadFile}, so
 * that a benchmark can time a pipeline from its first record read. Enabled through
 * {@code --kafkaConfig} ({@code consumer.interceptor.classes=...}).
 */
public final class FirstReadRecorder implements ConsumerInterceptor<Object, Object> {
  public static final String FILE_CONFIG = "dtstream.firstReadFile";
  private static final AtomicBoolean RECORDED = new AtomicBoolean();

  private Path file;

  @Override
  public void configure(Map<String, ?> configs) {
    Object name = configs.get(FILE_CONFIG);
    file = name == null ? null : Path.of(name.toString());
  }

  @Override
  public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
    if (file != null && !records.isEmpty() && RECORDED.compareAndSet(false, true)) {
      try {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.writeString(partial, Long.toString(System.currentTimeMillis()));
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return records;
  }

  @Override
  public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {}

  @Override
  public void close() {}
}
