package io.dtstream.injector.bench;

import io.dtstream.injector.DetectorSimulation;
import io.dtstream.pipeline.model.Hit;
import io.dtstream.pipeline.model.RowParser;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Fills a topic with simulated rows as fast as the broker takes them, counting the hits. */
final class Preload {
  /** An ancillary row this far after the data moves every partition's watermark past it. */
  private static final long END_MARKER_ORBITS = 1L << 20; // about 93 s of detector time

  private Preload() {}

  /** Writes {@code rows} rows of {@code sim:seed=...}, {@code rowsPerMessage} per record; returns the hits. */
  static long rows(String bootstrapServers, String topic, int partitions, long seed, long rows, int rowsPerMessage) {
    DetectorSimulation simulation = DetectorSimulation.fromSpec("sim:seed=" + seed);
    long hits = 0;
    long lastOrbit = 0;
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(config(bootstrapServers))) {
      StringBuilder message = new StringBuilder();
      for (long i = 0; i < rows; i++) {
        String row = simulation.next();
        if (RowParser.parse(row) instanceof Hit hit) {
          hits++;
          lastOrbit = Math.max(lastOrbit, hit.orbit());
        }
        message.append(row);
        if ((i + 1) % rowsPerMessage == 0 || i == rows - 1) {
          producer.send(new ProducerRecord<>(topic, message.toString()));
          message.setLength(0);
        } else {
          message.append('\n');
        }
      }
      // In detector time a window closes only when every partition has seen a later row.
      String endMarker = "1,0,0," + (lastOrbit + END_MARKER_ORBITS) + ",0,0";
      for (int partition = 0; partition < partitions; partition++) {
        producer.send(new ProducerRecord<>(topic, partition, null, endMarker));
      }
      producer.flush();
    }
    return hits;
  }

  private static Properties config(String bootstrapServers) {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    return config;
  }
}
