package io.quasid.job.pipeline;

import java.io.Serializable;
import java.util.concurrent.CompletableFuture;

/**
 * Whether a Kafka partition holds anything readable after an offset: the question {@link
 * TopicProgress} asks before it lets a quiet partition's watermark follow the wall clock. Asked off
 * the source's thread; the answer arrives through the future.
 */
public interface PartitionEnds extends Serializable {

  /**
   * @return a future completing with true when no committed record of {@code topic}-{@code
   *     partition} sits at or after {@code nextOffset}, false when one does or the broker could not
   *     tell (a partition is never taken as read when it is not known to be)
   */
  CompletableFuture<Boolean> nothingAfter(String topic, int partition, long nextOffset);
}
