package io.quasid.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.quasid.job.config.FeatureSource;
import io.quasid.job.config.QuasidJobOptions;
import io.quasid.job.config.RuntimeOptions;
import io.quasid.job.config.TextOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.junit.jupiter.api.Test;

/** A local text-mode run gets the embedding stage's slots; nothing else changes. */
class TextSlotsTest {

  private static final QuasidJobOptions TEXT =
      QuasidJobOptions.defaults()
          .with(RuntimeOptions.PARALLELISM, 2)
          .with(TextOptions.FEATURE_SOURCE, FeatureSource.TEXT);

  @Test
  void aLocalTextModeRunGetsSlotsForTheEmbeddingStage() {
    assertThat(
            QuasidStreamJob.withTextSlots(TEXT, new Configuration())
                .get(TaskManagerOptions.NUM_TASK_SLOTS))
        .isEqualTo(4);
    assertThat(
            QuasidStreamJob.withTextSlots(
                    TEXT.with(TextOptions.PARALLELISM, 1), new Configuration())
                .get(TaskManagerOptions.NUM_TASK_SLOTS))
        .isEqualTo(3);
  }

  @Test
  void vectorModeAndASlotCountAlreadySetAreLeftAlone() {
    Configuration none = new Configuration();
    assertThat(QuasidStreamJob.withTextSlots(QuasidJobOptions.defaults(), none)).isSameAs(none);
    Configuration set = new Configuration();
    set.set(TaskManagerOptions.NUM_TASK_SLOTS, 8);
    assertThat(QuasidStreamJob.withTextSlots(TEXT, set).get(TaskManagerOptions.NUM_TASK_SLOTS))
        .isEqualTo(8);
  }
}
