package io.dtstream.pipeline.kafka;

import io.dtstream.pipeline.Cli;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Settings for every Kafka client of the pipeline from a properties file, as Kafka's own tools
 * take them ({@code --command-config}): security (SASL, TLS) and tuning without code changes.
 * Keys prefixed {@code consumer.} or {@code producer.} apply to that client only, the others to
 * both. The file is read, never logged: it may hold secrets.
 */
public record KafkaClientConfig(Map<String, Object> consumer, Map<String, Object> producer) {

  public static final KafkaClientConfig NONE = new KafkaClientConfig(Map.of(), Map.of());

  /** The settings in {@code file}, or none when {@code file} is empty. */
  public static KafkaClientConfig load(String file) {
    if (file == null || file.isBlank()) {
      return NONE;
    }
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
      properties.load(in);
    } catch (IOException e) {
      throw new Cli.UserError("cannot read the Kafka client settings " + file + ": " + e.getMessage());
    }
    Map<String, Object> consumer = new HashMap<>();
    Map<String, Object> producer = new HashMap<>();
    for (String key : properties.stringPropertyNames()) {
      String value = properties.getProperty(key);
      if (key.startsWith("consumer.")) {
        consumer.put(key.substring("consumer.".length()), value);
      } else if (key.startsWith("producer.")) {
        producer.put(key.substring("producer.".length()), value);
      } else {
        consumer.putIfAbsent(key, value);
        producer.putIfAbsent(key, value);
      }
    }
    return new KafkaClientConfig(Map.copyOf(consumer), Map.copyOf(producer));
  }
}
