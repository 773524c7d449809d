package io.quasid.job.training;

import java.nio.charset.StandardCharsets;

/**
 * Stateless, seeded pseudo-random draws: a draw is a hash of (seed, coordinates), so operators need
 * no RNG object in state and replay the same decisions after a restore.
 */
final class SeededDraws {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private SeededDraws() {}

  /** Uniform double in [0, 1) determined by the seed and the coordinates. */
  static double uniform(long seed, long... coordinates) {
    long h = mix(seed);
    for (long c : coordinates) {
      h = mix(h ^ (c + GOLDEN));
    }
    return (h >>> 11) * 0x1.0p-53;
  }

  /** Uniform index in [0, bound). */
  static int index(int bound, long seed, long... coordinates) {
    return (int) Math.min(bound - 1, (long) (uniform(seed, coordinates) * bound));
  }

  /** A stable 64-bit id of a string (FNV-1a, then mixed); equal strings give equal ids. */
  static long idHash(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    return mix(h);
  }

  /** SplitMix64 finaliser. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
