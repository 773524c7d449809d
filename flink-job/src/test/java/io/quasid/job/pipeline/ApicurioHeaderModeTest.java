package io.quasid.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.quasid.job.config.FeatureSource;
import io.quasid.schemas.AvroWire;
import io.quasid.schemas.ErrorKind;
import io.quasid.schemas.FramedCodec;
import io.quasid.schemas.HeaderSchemaId;
import io.quasid.schemas.InProcessSchemaRegistry;
import io.quasid.schemas.ItemFeatureEvent;
import io.quasid.schemas.Op;
import io.quasid.schemas.SchemaRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/**
 * Records whose writer schema id travels in Apicurio's headers (the value the bare Avro body) reach
 * the decoder with that header and decode; a bad header is a dead letter with its reason.
 */
class ApicurioHeaderModeTest {

  private static final String GLOBAL = HeaderSchemaId.Kind.GLOBAL_ID.header();

  private static byte[] body(String id) {
    return AvroWire.ITEM_FEATURES.encodeBody(
        ItemFeatureEvent.newBuilder()
            .setItemId(id)
            .setFeatures(List.of(0.5f, 0.5f))
            .setOp(Op.UPSERT)
            .setEventTime(Instant.ofEpochMilli(1_000))
            .build());
  }

  private static byte[] longBytes(long id) {
    return ByteBuffer.allocate(8).putLong(id).array();
  }

  private static RawRecord raw(long offset, byte[] value, String header, byte[] headerValue) {
    RawRecord raw = new RawRecord("items", 0, offset, 0, null, value);
    raw.schemaIdHeader = header;
    raw.schemaIdHeaderValue = headerValue;
    return raw;
  }

  @Test
  void theDeserializerKeepsApicuriosValueHeadersOnly() {
    RecordHeaders headers = new RecordHeaders();
    headers.add("traceparent", "00-abc".getBytes(StandardCharsets.UTF_8));
    headers.add(HeaderSchemaId.Kind.CONTENT_ID.header(), longBytes(7));
    headers.add(HeaderSchemaId.ENCODING_HEADER, "BINARY".getBytes(StandardCharsets.UTF_8));
    ConsumerRecord<byte[], byte[]> record =
        new ConsumerRecord<>(
            "items",
            1,
            42,
            5L,
            TimestampType.CREATE_TIME,
            0,
            3,
            null,
            new byte[3],
            headers,
            Optional.empty());
    List<RawRecord> out = new ArrayList<>();

    new RawRecordDeserializer()
        .deserialize(
            record,
            new Collector<>() {
              @Override
              public void collect(RawRecord r) {
                out.add(r);
              }

              @Override
              public void close() {}
            });

    assertThat(out)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.schemaIdHeader).isEqualTo(HeaderSchemaId.Kind.CONTENT_ID.header());
              assertThat(r.schemaIdHeaderValue).isEqualTo(longBytes(7));
              assertThat(r.valueEncoding).isEqualTo("BINARY");
            });
  }

  @Test
  void headerModeRecordsDecodeAndBadHeadersAreDeadLettered() throws Exception {
    try (InProcessSchemaRegistry registry = new InProcessSchemaRegistry()) {
      int id = registry.register("items-value", ItemFeatureEvent.getClassSchema());
      WireInput<ItemFeatureEvent> input =
          new WireInput<>(
              FramedCodec.singleObject(AvroWire.ITEM_FEATURES)
                  .readingRegistry(
                      new SchemaRegistry(registry.apicurioUrl(), Duration.ofSeconds(5))),
              Duration.ofSeconds(10));
      RawRecord json = raw(3, body("json"), GLOBAL, longBytes(id));
      json.valueEncoding = "JSON";

      try (var harness =
          ProcessFunctionTestHarnesses.forProcessFunction(
              new ItemFeatureDecoder(
                  input, FeatureSource.VECTOR, Integer.MAX_VALUE, 2, 10_000, 3_600_000))) {
        harness.processElement(raw(0, body("by-global-id"), GLOBAL, longBytes(id)), 0);
        harness.processElement(raw(1, body("unknown"), GLOBAL, longBytes(999_999)), 0);
        harness.processElement(raw(2, body("short-header"), GLOBAL, new byte[4]), 0);
        harness.processElement(json, 0);
        harness.processElement(
            raw(4, body("by-content-id"), HeaderSchemaId.Kind.CONTENT_ID.header(), longBytes(id)),
            0);

        assertThat(harness.extractOutputValues())
            .extracting(f -> f.itemId)
            .containsExactly("by-global-id", "by-content-id");
        List<RejectedRecord> bad =
            harness.getSideOutput(DeadLetters.TAG).stream().map(StreamRecord::getValue).toList();
        assertThat(bad).extracting(r -> r.kind).containsOnly(ErrorKind.UNDECODABLE);
        assertThat(bad).extracting(r -> r.sourceOffset).containsExactly(1L, 2L, 3L);
        assertThat(bad.get(0).reason).contains("UNKNOWN_SCHEMA", "apicurio.value.globalId=999999");
        assertThat(bad.get(1).reason).contains("BAD_HEADER", "4 bytes");
        assertThat(bad.get(2).reason).contains("apicurio.value.encoding is JSON");
      }
    }
  }
}
