package io.quasid.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quasid.job.config.QuasidJobCommandLine;
import io.quasid.job.config.QuasidJobOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.InstantiationUtil;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kafka passwords reach the clients on the task managers, never the job graph. */
class KafkaSecretsTest {

  private static final String PASSWORD = "hunter2-scram-pw";
  private static final String JAAS =
      "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"quasid\""
          + " password=\""
          + PASSWORD
          + "\";";

  @TempDir Path dir;

  private static QuasidJobOptions parse(String... args) {
    return QuasidJobCommandLine.parse(args, new PrintWriter(new StringWriter())).orElseThrow();
  }

  @Test
  void aLiteralPasswordIsRefusedWithoutEchoingIt() {
    assertThatThrownBy(() -> parse("--kafka.sasl.jaas.config=" + JAAS))
        .hasMessageContaining("kafka.sasl.jaas.config must be a reference")
        .hasMessageNotContaining(PASSWORD);
    assertThatThrownBy(() -> parse("--kafka.ssl.truststore.password=" + PASSWORD))
        .hasMessageNotContaining(PASSWORD);
  }

  @Test
  void theJobGraphHoldsTheReferenceAndEachClientResolvesIt() throws Exception {
    Path secrets = dir.resolve("kafka.properties");
    Properties file = new Properties();
    file.setProperty("sasl.jaas.config", JAAS);
    try (var out = Files.newBufferedWriter(secrets)) {
      file.store(out, null);
    }
    String reference = "${file:" + secrets + ":sasl.jaas.config}";
    QuasidJobOptions options =
        parse(
            "--kafka.security.protocol=SASL_PLAINTEXT",
            "--kafka.sasl.mechanism=SCRAM-SHA-256",
            "--kafka.sasl.jaas.config=" + reference);

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    QuasidStreamJob.defineKafkaWorkflow(env, options);
    JobGraph graph = env.getStreamGraph().getJobGraph();
    String serialized =
        new String(InstantiationUtil.serializeObject(graph), StandardCharsets.ISO_8859_1);

    assertThat(serialized)
        .as("the search sees the sources' and sinks' client settings")
        .contains(reference);
    assertThat(serialized).doesNotContain(PASSWORD);

    Properties client = options.kafkaClientProperties();
    client.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
    client.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    client.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    ConsumerConfig resolved = new ConsumerConfig(client);
    assertThat(resolved.getPassword("sasl.jaas.config").value()).isEqualTo(JAAS);
  }
}
