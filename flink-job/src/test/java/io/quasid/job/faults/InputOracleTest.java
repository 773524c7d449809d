package io.quasid.job.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.quasid.schemas.AvroWire;
import io.quasid.schemas.AvroWireException;
import io.quasid.schemas.InteractionEvent;
import io.quasid.schemas.ItemFeatureEvent;
import io.quasid.schemas.Op;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The oracle's own decoding accepts exactly what the job's codec accepts, on valid records and on
 * thousands of mutations of them: where they disagreed, the fault suite would call the job wrong
 * (or, worse, agree with a job that is).
 */
class InputOracleTest {

  private static final int DIM = 8;
  private static final long NOW = 1_700_000_000_000L;

  private static byte[] item(Random random) {
    List<Float> features = new ArrayList<>();
    for (int d = 0; d < DIM; d++) {
      features.add(random.nextFloat());
    }
    return AvroWire.ITEM_FEATURES.encode(
        ItemFeatureEvent.newBuilder()
            .setItemId("item-" + random.nextInt(1000))
            .setFeatures(features)
            .setProductGroupId(random.nextBoolean() ? null : "g" + random.nextInt(9))
            .setOp(random.nextInt(10) == 0 ? Op.DELETE : Op.UPSERT)
            .setEventTime(Instant.ofEpochMilli(NOW - random.nextInt(100_000)))
            .build());
  }

  private static byte[] interaction(Random random) {
    return AvroWire.INTERACTIONS.encode(
        InteractionEvent.newBuilder()
            .setUserId("u" + random.nextInt(100))
            .setItemId("item-" + random.nextInt(1000))
            .setAction("view")
            .setWeight(random.nextFloat())
            .setEventTime(Instant.ofEpochMilli(NOW - random.nextInt(100_000)))
            .build());
  }

  private static byte[] mutate(byte[] valid, Random random) {
    byte[] m = valid.clone();
    switch (random.nextInt(3)) {
      case 0 -> {
        for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
          int bit = random.nextInt(m.length * 8);
          m[bit / 8] ^= (byte) (1 << (bit % 8));
        }
      }
      case 1 -> m = Arrays.copyOf(m, random.nextInt(m.length));
      default -> {
        m = Arrays.copyOf(m, m.length + 1 + random.nextInt(4));
      }
    }
    return m;
  }

  private static boolean jobDecodes(byte[] value, boolean isItem) {
    try {
      if (isItem) {
        AvroWire.ITEM_FEATURES.decode(value);
      } else {
        AvroWire.INTERACTIONS.decode(value);
      }
      return true;
    } catch (AvroWireException e) {
      return false;
    }
  }

  @Test
  void decodesExactlyWhatTheJobsCodecDecodes() {
    InputOracle oracle = new InputOracle(DIM, 64 * 1024, 3_600_000);
    Random random = new Random(17);
    int agreedValid = 0;
    int agreedInvalid = 0;
    for (int i = 0; i < 20_000; i++) {
      boolean isItem = i % 2 == 0;
      byte[] valid = isItem ? item(random) : interaction(random);
      byte[] value = i % 4 < 2 ? valid : mutate(valid, random);
      String reason =
          isItem ? oracle.item(value, NOW).reason() : oracle.interaction(value, NOW).reason();
      boolean oracleDecodes = reason == null || !reason.startsWith("undecodable");
      boolean job = jobDecodes(value, isItem);
      assertThat(oracleDecodes).as("record %d: %s", i, Arrays.toString(value)).isEqualTo(job);
      if (job) {
        agreedValid++;
      } else {
        agreedInvalid++;
      }
    }
    assertThat(agreedValid).isGreaterThan(10_000);
    assertThat(agreedInvalid).isGreaterThan(1_000);
  }
}
