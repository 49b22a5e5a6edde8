package io.dtstream.runners.bench;

import io.dtstream.injector.DetectorSimulation;
import io.dtstream.injector.Inject;
import io.dtstream.contract.model.DetectorClock;
import io.dtstream.contract.model.Hit;
import io.dtstream.contract.model.RowParser;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Simulated rows for a benchmark, and what the pipeline must find in them. */
final class Preload {
  /** A hit this far after the data moves every partition's watermark past it. */
  private static final long END_MARKER_ORBITS = 1L << 20; // about 93 s of detector time

  private Preload() {}

  /** The hits among the first {@code rows} rows of {@code sim:seed=...}, and their last orbit. */
  record Expected(long hits, long lastOrbit) {
    /** Where the end markers' window starts: windows from there on are not the data's. */
    long endMarkerMillis() {
      return DetectorClock.rowMillis(lastOrbit + END_MARKER_ORBITS, 0);
    }

    static Expected of(long seed, long rows) {
      DetectorSimulation simulation = DetectorSimulation.fromSpec("sim:seed=" + seed);
      long hits = 0;
      long lastOrbit = 0;
      for (long i = 0; i < rows; i++) {
        if (RowParser.parse(simulation.next()) instanceof Hit hit) {
          hits++;
          lastOrbit = Math.max(lastOrbit, hit.orbit());
        }
      }
      return new Expected(hits, lastOrbit);
    }
  }

  /**
   * Injects the rows as fast as the broker takes them, then, in detector time, an end marker in
   * every partition: a window closes only when every partition has seen a later hit. The marker is
   * a hit on an auxiliary channel, so it is counted in a window of its own, far after the data.
   */
  static Expected rows(String bootstrapServers, String topic, int partitions, long seed, long rows, int rowsPerMessage) {
    Inject.Report sent =
        Inject.into(bootstrapServers, topic, rowsPerMessage, rows).replay("sim:seed=" + seed, Double.POSITIVE_INFINITY);
    if (sent.rowsSent() != rows) {
      throw new IllegalStateException("pre-loading sent " + sent.rowsSent() + " of " + rows + " rows: " + sent.summary());
    }
    Expected expected = Expected.of(seed, rows);
    String endMarker = "2,1,139," + (expected.lastOrbit() + END_MARKER_ORBITS) + ",0,0";
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      for (int partition = 0; partition < partitions; partition++) {
        producer.send(new ProducerRecord<>(topic, partition, null, endMarker));
      }
    }
    return expected;
  }
}
