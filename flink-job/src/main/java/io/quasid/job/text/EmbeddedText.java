package io.quasid.job.text;

/** One text's vector, or why the encoder could not embed it. */
record EmbeddedText(float[] vector, RuntimeException failure) {

  static EmbeddedText of(float[] vector) {
    return new EmbeddedText(vector, null);
  }

  static EmbeddedText failed(RuntimeException failure) {
    return new EmbeddedText(null, failure);
  }

  boolean isFailed() {
    return failure != null;
  }
}
