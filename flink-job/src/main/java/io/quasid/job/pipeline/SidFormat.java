package io.quasid.job.pipeline;

/** The printable forms of code tuples and SIDs, as documented in {@code SidAssignment.avsc}. */
public final class SidFormat {

  private SidFormat() {}

  /** Codes in decimal joined by '-', e.g. {@code 12-201-7}; also the bucket key. */
  public static String codeTuple(int[] codes) {
    StringBuilder sb = new StringBuilder(codes.length * 4);
    for (int i = 0; i < codes.length; i++) {
      if (i > 0) {
        sb.append('-');
      }
      sb.append(codes[i]);
    }
    return sb.toString();
  }

  /** The full SID: code tuple, '/', dedup suffix, e.g. {@code 12-201-7/0}. */
  public static String sid(int[] codes, int suffix) {
    return codeTuple(codes) + "/" + suffix;
  }
}
