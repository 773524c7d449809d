package io.quasid.job.faults;

import io.quasid.schemas.AvroWire;
import io.quasid.schemas.InteractionEvent;
import io.quasid.schemas.ItemFeatureEvent;
import io.quasid.schemas.Op;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Mutated input mixed into valid traffic: bit flips, truncations, length bombs (an item declaring
 * 4e8 floats or a 1.5 GB id in a few bytes), wrong dimensions, NaN and infinite values, empty ids,
 * oversize values, garbage and null values, interactions for unknown items or with NaN weights,
 * exact duplicates, late (older event time) updates and deletes. Fuzz items have their own ids
 * ({@code fz-NNNNNN}); seeded, so a run is reproducible. Whether each record is bad is decided by
 * {@link InputOracle} inside {@link Traffic}, not by the mutation's name (a flipped bit in a
 * feature can leave a valid record).
 */
final class FuzzCorpus {

  private final Random random;
  private final int dim;
  private final List<String> knownItems;
  private final List<byte[]> validFuzzRecords = new ArrayList<>();
  private final List<String> fuzzIds = new ArrayList<>();
  private final Map<String, Integer> counts = new TreeMap<>();
  private final Instant baseTime = Instant.now();

  FuzzCorpus(long seed, int dim, List<String> knownItems) {
    this.random = new Random(seed);
    this.dim = dim;
    this.knownItems = knownItems;
  }

  /** Publishes {@code n} valid fuzz items, the material most mutations start from. */
  void emitBase(Traffic traffic, int n) {
    for (int i = 0; i < n; i++) {
      String id = String.format("fz-%06d", fuzzIds.size());
      fuzzIds.add(id);
      byte[] record = item(id, randomVector(), Op.UPSERT, baseTime, null);
      validFuzzRecords.add(record);
      traffic.item(id, record);
    }
  }

  /** Publishes {@code n} mutated records, kinds drawn at random. */
  void emitMutations(Traffic traffic, int n) {
    for (int i = 0; i < n; i++) {
      emitOne(traffic);
    }
  }

  /** How many records of each mutation kind were published. */
  Map<String, Integer> counts() {
    return counts;
  }

  int mutated() {
    return counts.values().stream().mapToInt(Integer::intValue).sum();
  }

  private void emitOne(Traffic traffic) {
    int pick = random.nextInt(100);
    String key = "fuzz-" + random.nextInt(1_000_000);
    if (pick < 30) {
      count("bit-flip");
      traffic.item(key, flipBits(randomValid(), 1 + random.nextInt(3)));
    } else if (pick < 42) {
      count("truncation");
      byte[] r = randomValid();
      traffic.item(key, Arrays.copyOf(r, random.nextInt(r.length)));
    } else if (pick < 46) {
      count("length-bomb");
      traffic.item(key, random.nextBoolean() ? arrayBomb() : stringBomb());
    } else if (pick < 52) {
      count("wrong-dimension");
      int wrong =
          random.nextBoolean() ? dim - 1 - random.nextInt(dim - 1) : dim + 1 + random.nextInt(dim);
      traffic.item(key, item(randomFuzzId(), vector(wrong), Op.UPSERT, baseTime, null));
    } else if (pick < 58) {
      count("non-finite");
      float[] v = randomVector();
      v[random.nextInt(dim)] =
          switch (random.nextInt(3)) {
            case 0 -> Float.NaN;
            case 1 -> Float.POSITIVE_INFINITY;
            default -> Float.NEGATIVE_INFINITY;
          };
      traffic.item(key, item(randomFuzzId(), v, Op.UPSERT, baseTime, null));
    } else if (pick < 61) {
      count("empty-id");
      traffic.item(
          key, item(random.nextBoolean() ? "" : "   ", randomVector(), Op.UPSERT, baseTime, null));
    } else if (pick < 62) {
      count("oversize");
      traffic.item(
          key, item(randomFuzzId(), randomVector(), Op.UPSERT, baseTime, "g".repeat(70_000)));
    } else if (pick < 66) {
      count("garbage");
      byte[] g = new byte[random.nextInt(200)];
      random.nextBytes(g);
      traffic.item(key, random.nextInt(10) == 0 ? null : g);
    } else if (pick < 72) {
      count("duplicate");
      traffic.item(key, randomValid());
    } else if (pick < 78) {
      count("late-update");
      traffic.item(
          key, item(randomFuzzId(), randomVector(), Op.UPSERT, baseTime.minusSeconds(3600), null));
    } else if (pick < 79) {
      count("delete");
      traffic.item(key, item(randomFuzzId(), new float[0], Op.DELETE, baseTime, null));
    } else if (pick < 85) {
      count("unknown-item-interaction");
      traffic.interaction(
          key, interaction("fu-" + random.nextInt(1000), "nx-" + random.nextInt(1_000_000), 1f));
    } else if (pick < 89) {
      count("bad-interaction");
      String item = knownItems.get(random.nextInt(knownItems.size()));
      traffic.interaction(
          key,
          switch (random.nextInt(3)) {
            case 0 -> interaction("fu-1", item, Float.NaN);
            case 1 -> interaction("", item, 1f);
            default -> interaction("fu-1", item, Float.POSITIVE_INFINITY);
          });
    } else if (pick < 97) {
      count("interaction-bit-flip");
      String item = knownItems.get(random.nextInt(knownItems.size()));
      traffic.interaction(
          key,
          flipBits(interaction("fu-" + random.nextInt(1000), item, 1f), 1 + random.nextInt(3)));
    } else {
      count("interaction-truncation");
      byte[] r = interaction("fu-2", knownItems.get(random.nextInt(knownItems.size())), 1f);
      traffic.interaction(key, Arrays.copyOf(r, random.nextInt(r.length)));
    }
  }

  private void count(String kind) {
    counts.merge(kind, 1, Integer::sum);
  }

  private byte[] randomValid() {
    return validFuzzRecords.get(random.nextInt(validFuzzRecords.size()));
  }

  private String randomFuzzId() {
    return fuzzIds.get(random.nextInt(fuzzIds.size()));
  }

  private byte[] flipBits(byte[] record, int flips) {
    byte[] copy = record.clone();
    for (int i = 0; i < flips; i++) {
      int bit = random.nextInt(copy.length * 8);
      copy[bit / 8] ^= (byte) (1 << (bit % 8));
    }
    return copy;
  }

  /** An item whose features array declares 4e8 floats (1.6 GB) in a record of a few dozen bytes. */
  private byte[] arrayBomb() {
    String id = randomFuzzId();
    byte[] valid = item(id, new float[0], Op.UPSERT, baseTime, null);
    // header (10) + id length varint (1 byte for short ids) + id; then the empty array's 0 count.
    int at = 10 + 1 + id.length();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(valid, 0, at);
    writeZigZag(out, 400_000_000L);
    out.write(new byte[16], 0, 16);
    out.write(valid, at, valid.length - at);
    return out.toByteArray();
  }

  /** An item whose id declares 1.5e9 bytes. */
  private byte[] stringBomb() {
    byte[] valid = item("x", randomVector(), Op.UPSERT, baseTime, null);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(valid, 0, 10);
    writeZigZag(out, 1_500_000_000L);
    out.write(valid, 11, valid.length - 11);
    return out.toByteArray();
  }

  private static void writeZigZag(ByteArrayOutputStream out, long value) {
    long n = (value << 1) ^ (value >> 63);
    while ((n & ~0x7FL) != 0) {
      out.write((int) ((n & 0x7F) | 0x80));
      n >>>= 7;
    }
    out.write((int) n);
  }

  private float[] randomVector() {
    return vector(dim);
  }

  private float[] vector(int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return v;
  }

  static byte[] item(String id, float[] vector, Op op, Instant time, String group) {
    List<Float> features = new ArrayList<>(vector.length);
    for (float f : vector) {
      features.add(f);
    }
    return AvroWire.ITEM_FEATURES.encode(
        ItemFeatureEvent.newBuilder()
            .setItemId(id)
            .setFeatures(features)
            .setProductGroupId(group)
            .setOp(op)
            .setEventTime(time)
            .build());
  }

  static byte[] interaction(String user, String item, float weight) {
    return AvroWire.INTERACTIONS.encode(
        InteractionEvent.newBuilder()
            .setUserId(user)
            .setItemId(item)
            .setAction("view")
            .setWeight(weight)
            .setEventTime(Instant.now())
            .build());
  }
}
