package io.quasid.bench.quality;

import java.util.Arrays;

/** An SID's code tuple as a map key (arrays compare by identity). */
public record CodeTuple(int[] codes) {
  @Override
  public boolean equals(Object o) {
    return o instanceof CodeTuple t && Arrays.equals(codes, t.codes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(codes);
  }

  @Override
  public String toString() {
    return Arrays.toString(codes);
  }
}
