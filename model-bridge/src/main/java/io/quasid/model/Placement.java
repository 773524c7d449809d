package io.quasid.model;

/**
 * Where a model runs: TensorFlow device and thread pools. A property of the process that loads a
 * model, not of the model, so a restore or import may override what the snapshot was written with
 * (an assigner on CPU with one thread, the trainer on a GPU, both from one snapshot).
 *
 * @param device e.g. {@code /cpu:0} or {@code /gpu:0}
 * @param intraOpThreads threads inside one op (0: TensorFlow's choice, all cores)
 * @param interOpThreads ops run in parallel (0: TensorFlow's choice)
 */
public record Placement(String device, int intraOpThreads, int interOpThreads) {

  public Placement {
    if (device == null || device.isBlank()) {
      throw new IllegalArgumentException("device must not be empty");
    }
    if (intraOpThreads < 0 || interOpThreads < 0) {
      throw new IllegalArgumentException(
          "threads must be >= 0, got intra " + intraOpThreads + ", inter " + interOpThreads);
    }
  }

  /** {@code config} with this placement. */
  public QuasidConfig applyTo(QuasidConfig config) {
    return config.toBuilder()
        .device(device)
        .intraOpThreads(intraOpThreads)
        .interOpThreads(interOpThreads)
        .build();
  }
}
