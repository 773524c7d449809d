package io.quasid.job.pipeline;

import io.quasid.schemas.HeaderSchemaId;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Wraps every Kafka record into a {@link RawRecord}. Decoding happens in a process function, never
 * here: an exception in a deserializer would fail the source and the whole job.
 */
public final class RawRecordDeserializer implements KafkaRecordDeserializationSchema<RawRecord> {

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawRecord> out) {
    RawRecord raw =
        new RawRecord(
            record.topic(),
            record.partition(),
            record.offset(),
            record.timestamp(),
            record.key(),
            record.value());
    // Only Apicurio's value-schema headers are kept: the decoder needs nothing else.
    for (Header header : record.headers()) {
      if (HeaderSchemaId.Kind.ofHeader(header.key()) != null && raw.schemaIdHeader == null) {
        raw.schemaIdHeader = header.key();
        raw.schemaIdHeaderValue = header.value();
      } else if (HeaderSchemaId.ENCODING_HEADER.equals(header.key()) && header.value() != null) {
        raw.valueEncoding = new String(header.value(), StandardCharsets.UTF_8);
      }
    }
    out.collect(raw);
  }

  @Override
  public TypeInformation<RawRecord> getProducedType() {
    return TypeInformation.of(RawRecord.class);
  }
}
