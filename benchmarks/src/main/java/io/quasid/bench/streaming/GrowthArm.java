package io.quasid.bench.streaming;

/** The arms of the catalogue-growth benchmark. */
enum GrowthArm {
  FROZEN("(a) frozen start model"),
  CONTINUOUS("(b) continuous, job defaults + gate"),
  NO_GATE("(c) continuous, gate off"),
  RETRAIN("(d) periodic offline retrain"),
  KEPT("(e) continuous + gate, churn policy"),
  ANCHORED("(f) anchored fine-tuning + gate"),
  ANCHORED_KEPT("(g) anchored fine-tuning + gate, churn policy");

  final String label;

  GrowthArm(String label) {
    this.label = label;
  }

  /** The arm's letter, as {@code --arms} names it. */
  char letter() {
    return label.charAt(1);
  }
}
