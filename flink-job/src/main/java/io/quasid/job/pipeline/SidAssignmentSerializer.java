package io.quasid.job.pipeline;

import io.quasid.schemas.AvroWire;
import io.quasid.schemas.FramedCodec;
import io.quasid.schemas.SidAssignment;
import io.quasid.schemas.SidTopicHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes {@link SidUpdate}s to the compacted SID topic keyed by item id: an Avro {@code
 * SidAssignment}, or a null value (tombstone) when the item was deleted.
 */
public final class SidAssignmentSerializer implements KafkaRecordSerializationSchema<SidUpdate> {

  private final String topic;
  private final FramedCodec<SidAssignment> codec;

  public SidAssignmentSerializer(String topic) {
    this(topic, FramedCodec.singleObject(AvroWire.SID_ASSIGNMENTS));
  }

  public SidAssignmentSerializer(String topic, FramedCodec<SidAssignment> codec) {
    this.topic = topic;
    this.codec = codec;
  }

  @Override
  public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext)
      throws Exception {
    codec.prepareToWrite();
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      SidUpdate u, KafkaSinkContext context, Long timestamp) {
    byte[] key = u.itemId.getBytes(StandardCharsets.UTF_8);
    if (u.tombstone) {
      return new ProducerRecord<>(topic, null, u.assignedTime, key, null, revisionHeader(u));
    }
    SidAssignment value =
        SidAssignment.newBuilder()
            .setItemId(u.itemId)
            .setCodes(boxed(u.codes))
            .setDedupSuffix(u.suffix)
            .setSid(u.sid)
            .setModelVersion(u.modelVersion)
            .setPreviousSid(u.previousSid)
            .setCauseEventTime(Instant.ofEpochMilli(u.causeEventTime))
            .setAssignedTime(Instant.ofEpochMilli(u.assignedTime))
            .setRevision(u.revision)
            .build();
    byte[] bytes = OutputFraming.encode(codec, value);
    return new ProducerRecord<>(topic, null, u.assignedTime, key, bytes, revisionHeader(u));
  }

  /**
   * Avro's array of ints is a list; a stream pipeline per record showed up in the sink's profile.
   */
  private static List<Integer> boxed(int[] codes) {
    List<Integer> list = new ArrayList<>(codes.length);
    for (int code : codes) {
      list.add(code);
    }
    return list;
  }

  /**
   * The item revision as a decimal header on every record, tombstones included: a tombstone has no
   * value to carry it, and a consumer keeping the newest record per item needs it for deletes too.
   */
  private static RecordHeaders revisionHeader(SidUpdate u) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(
        SidTopicHeaders.REVISION, Long.toString(u.revision).getBytes(StandardCharsets.UTF_8));
    return headers;
  }
}
