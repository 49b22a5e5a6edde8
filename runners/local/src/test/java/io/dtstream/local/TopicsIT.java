package io.dtstream.local;

import static org.junit.Assert.assertEquals;

import io.dtstream.contract.kafka.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Topic creation against a real broker: the broker's replication, a compacted results topic. */
public class TopicsIT {
  @Rule public final TemporaryFolder temp = new TemporaryFolder();

  @Test
  public void theResultsTopicIsCompactedAndReplicationIsTheBrokers() throws Exception {
    try (LocalKafka kafka = LocalKafka.startForTest(temp.newFolder("kafka").toPath())) {
      List<Topics.Spec> topics =
          List.of(Topics.Spec.of("raw", 3), Topics.Spec.results("clean"), Topics.Spec.of("dlq", 1));
      Topics.ensure(kafka.bootstrapServers(), Map.of(), topics, Duration.ofSeconds(30));
      Topics.ensure(kafka.bootstrapServers(), Map.of(), topics, Duration.ofSeconds(30)); // again: no-op

      Properties config = new Properties();
      config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      try (Admin admin = Admin.create(config)) {
        Map<String, TopicDescription> described =
            admin.describeTopics(List.of("raw", "clean", "dlq")).allTopicNames().get();
        assertEquals(3, described.get("raw").partitions().size());
        assertEquals(1, described.get("clean").partitions().size());
        // the broker's default.replication.factor, which a single local broker keeps at 1
        assertEquals(1, described.get("raw").partitions().get(0).replicas().size());
        assertEquals("compact", cleanupPolicy(admin, "clean"));
        assertEquals("delete", cleanupPolicy(admin, "raw"));
      }
    }
  }

  private static String cleanupPolicy(Admin admin, String topic) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    return admin.describeConfigs(List.of(resource)).all().get().get(resource)
        .get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
  }
}
