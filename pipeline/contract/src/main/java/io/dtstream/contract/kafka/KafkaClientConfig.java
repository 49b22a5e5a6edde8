package io.dtstream.contract.kafka;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Settings for every Kafka client of a command from a properties file, as Kafka's own tools take
 * them ({@code --command-config}): security (SASL, TLS) and tuning without code changes. Keys
 * prefixed {@code consumer.}, {@code producer.} or {@code admin.} apply to that client only, the
 * others to all three; a prefixed key wins. The file is read, never logged: it may hold secrets.
 */
public record KafkaClientConfig(
    Map<String, Object> consumer, Map<String, Object> producer, Map<String, Object> admin) {

  public static final KafkaClientConfig NONE = new KafkaClientConfig(Map.of(), Map.of(), Map.of());
  private static final List<String> CLIENTS = List.of("consumer", "producer", "admin");

  /**
   * The settings in {@code file}, or none when {@code file} is empty.
   *
   * @throws IllegalArgumentException when the file cannot be read
   */
  public static KafkaClientConfig load(String file) {
    if (file == null || file.isBlank()) {
      return NONE;
    }
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
      properties.load(in);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the Kafka client settings " + file + ": " + e.getMessage());
    }
    Map<String, Map<String, Object>> byClient = new HashMap<>();
    CLIENTS.forEach(client -> byClient.put(client, new HashMap<>()));
    for (String key : properties.stringPropertyNames()) {
      String prefix = key.contains(".") ? key.substring(0, key.indexOf('.')) : "";
      if (CLIENTS.contains(prefix)) {
        byClient.get(prefix).put(key.substring(prefix.length() + 1), properties.getProperty(key));
      }
    }
    for (String key : properties.stringPropertyNames()) {
      String prefix = key.contains(".") ? key.substring(0, key.indexOf('.')) : "";
      if (!CLIENTS.contains(prefix)) {
        byClient.values().forEach(settings -> settings.putIfAbsent(key, properties.getProperty(key)));
      }
    }
    return new KafkaClientConfig(
        Map.copyOf(byClient.get("consumer")), Map.copyOf(byClient.get("producer")), Map.copyOf(byClient.get("admin")));
  }
}
