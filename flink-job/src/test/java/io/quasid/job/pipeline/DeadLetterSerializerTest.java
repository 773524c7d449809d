package io.quasid.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.quasid.job.config.InputOptions;
import io.quasid.job.config.QuasidJobOptions;
import io.quasid.schemas.AvroWire;
import io.quasid.schemas.DeadLetter;
import io.quasid.schemas.ErrorKind;
import java.util.Arrays;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** A dead letter fits the producer's request limit whatever the rejected record carried. */
class DeadLetterSerializerTest {

  private static final int MAX_KEY_BYTES = 1024;

  private static ProducerRecord<byte[], byte[]> serialize(RejectedRecord r) {
    return new DeadLetterSerializer("dead", MAX_KEY_BYTES).serialize(r, null, null);
  }

  @Test
  void aHugeKeyAnOversizeValueAndALongReasonAreCutWithTheirLengthsKept() throws Exception {
    QuasidJobOptions defaults = QuasidJobOptions.defaults();
    int maxRecordBytes = defaults.get(InputOptions.MAX_RECORD_BYTES);
    byte[] key = new byte[600_000];
    Arrays.fill(key, (byte) 'k');
    byte[] value = new byte[900_000];
    RawRecord raw = new RawRecord("items", 2, 17, 0, key, value);
    String reason = "item " + "x".repeat(100_000) + " not in the catalogue";

    ProducerRecord<byte[], byte[]> out =
        serialize(
            RejectedRecord.of(
                raw, RejectedRecord.prefix(value, maxRecordBytes), ErrorKind.OVERSIZE, reason, 1L));

    assertThat((long) out.key().length + out.value().length)
        .isLessThanOrEqualTo(defaults.deadLetterMaxBytes())
        .isLessThan(1024 * 1024);
    assertThat(out.key()).hasSize(MAX_KEY_BYTES);
    DeadLetter letter = AvroWire.DEAD_LETTERS.decode(out.value());
    assertThat(letter.getRawKey().remaining()).isEqualTo(MAX_KEY_BYTES);
    assertThat(letter.getRawKeyLength()).isEqualTo(600_000);
    assertThat(letter.getRawValue().remaining()).isEqualTo(maxRecordBytes);
    assertThat(letter.getRawValueLength()).isEqualTo(900_000);
    assertThat(letter.getReason())
        .hasSize(DeadLetterSerializer.MAX_REASON_CHARS)
        .startsWith("item xxx")
        .endsWith("(100026 chars)");
  }

  @Test
  void aSmallRecordIsKeptWhole() throws Exception {
    RawRecord raw = new RawRecord("items", 0, 3, 0, new byte[] {1, 2}, new byte[] {3, 4, 5});

    ProducerRecord<byte[], byte[]> out =
        serialize(RejectedRecord.of(raw, ErrorKind.UNDECODABLE, "bad header", 1L));

    DeadLetter letter = AvroWire.DEAD_LETTERS.decode(out.value());
    assertThat(out.key()).containsExactly(1, 2);
    assertThat(letter.getRawKey().array()).containsExactly(1, 2);
    assertThat(letter.getRawKeyLength()).isEqualTo(2);
    assertThat(letter.getRawValue().array()).containsExactly(3, 4, 5);
    assertThat(letter.getRawValueLength()).isEqualTo(3);
    assertThat(letter.getReason()).isEqualTo("bad header");
  }

  @Test
  void aRecordWithoutKeyOrValueHasNoLengths() throws Exception {
    RawRecord raw = new RawRecord("items", 0, 3, 0, null, null);

    DeadLetter letter =
        AvroWire.DEAD_LETTERS.decode(
            serialize(RejectedRecord.of(raw, ErrorKind.UNDECODABLE, "null value", 1L)).value());

    assertThat(letter.getRawKey()).isNull();
    assertThat(letter.getRawKeyLength()).isNull();
    assertThat(letter.getRawValueLength()).isNull();
  }
}
