package io.quasid.job.pipeline;

import java.util.Arrays;

/** The codes an item holds now, with the residual norm and model version they came from. */
public class ItemCodes {
  public int[] codes;
  public float residualNorm;
  public long modelVersion;

  public ItemCodes() {}

  public ItemCodes(int[] codes, float residualNorm, long modelVersion) {
    this.codes = codes;
    this.residualNorm = residualNorm;
    this.modelVersion = modelVersion;
  }

  public boolean sameCodes(ItemCodes other) {
    return Arrays.equals(codes, other.codes);
  }

  @Override
  public String toString() {
    return SidFormat.codeTuple(codes) + " (v" + modelVersion + ", r=" + residualNorm + ")";
  }
}
