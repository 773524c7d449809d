package io.quasid.job.training;

/** A published version waiting for its checkpoint to complete before it is written out. */
public class PendingExport {
  public long version;
  public byte[] snapshot;

  public PendingExport() {}

  PendingExport(long version, byte[] snapshot) {
    this.version = version;
    this.snapshot = snapshot;
  }
}
