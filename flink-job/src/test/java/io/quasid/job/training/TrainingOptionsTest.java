package io.quasid.job.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quasid.job.types.Engagement;
import io.quasid.model.QuasidConfig;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

class TrainingOptionsTest {
  private static final QuasidConfig MODEL =
      QuasidConfig.builder(8).encoderHidden(16).latentDim(4).levels(2).codebookSize(8).build();

  @Test
  void defaultsAreValid() {
    TrainingOptions options = TrainingOptions.defaults(MODEL).validate();
    assertThat(options.batchSize()).isEqualTo(256);
    assertThat(options.publishInterval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(options.warmStart()).isNull();
  }

  @Test
  void validationNamesTheOffendingKey() {
    assertThatThrownBy(
            () -> TrainingOptions.defaults(MODEL).with(BatchOptions.BATCH_SIZE, 64).validate())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(BatchOptions.NEW_ROWS_PER_STEP.key());
    assertThatThrownBy(
            () -> TrainingOptions.defaults(MODEL).with(BatchOptions.INIT_MIN_ROWS, 4).validate())
        .hasMessageContaining(BatchOptions.INIT_MIN_ROWS.key())
        .hasMessageContaining("codebook size 8");
    assertThatThrownBy(
            () ->
                TrainingOptions.defaults(MODEL)
                    .with(PublishOptions.PUBLISH_EVERY_STEPS, 0)
                    .with(PublishOptions.PUBLISH_INTERVAL, Duration.ZERO)
                    .validate())
        .hasMessageContaining("nothing would ever be published");
    assertThatThrownBy(
            () ->
                TrainingOptions.defaults(MODEL)
                    .with(BatchOptions.HELD_OUT_FRACTION, 0.0)
                    .validate())
        .hasMessageContaining(BatchOptions.HELD_OUT_FRACTION.key());
    assertThatThrownBy(
            () ->
                TrainingOptions.defaults(MODEL)
                    .with(BatchOptions.HELD_OUT_FRACTION, 1.5)
                    .validate())
        .hasMessageContaining(BatchOptions.HELD_OUT_FRACTION.key());
    TrainingOptions.defaults(MODEL).with(BatchOptions.HELD_OUT_FRACTION, 1.0).validate();
  }

  @Test
  void warmStartFallsBackToTheAssignersInitialModel() {
    Configuration conf = new Configuration();
    conf.setString("model.saved-model", "/models/saved");
    assertThat(new TrainingOptions(MODEL, conf).warmStart()).isEqualTo("/models/saved");
    conf.setString("model.snapshot", "/models/v7.snapshot");
    assertThat(new TrainingOptions(MODEL, conf).warmStart()).isEqualTo("/models/v7.snapshot");
    assertThat(
            new TrainingOptions(MODEL, conf)
                .with(FineTuneOptions.WARM_START, "/models/other")
                .warmStart())
        .isEqualTo("/models/other");
  }

  @Test
  void survivesJavaSerializationWithTheModelConfig() throws Exception {
    TrainingOptions options = TrainingOptions.defaults(MODEL).with(PairOptions.HISTORY_SIZE, 7);

    TrainingOptions copy =
        InstantiationUtil.deserializeObject(
            InstantiationUtil.serializeObject(options), getClass().getClassLoader());

    assertThat(copy.historySize()).isEqualTo(7);
    assertThat(copy.model().encoderHidden()).containsExactly(16);
    assertThat(copy.model().codebookSize()).isEqualTo(8);
    assertThat(copy.model().toBuilder().build().levels()).isEqualTo(2);
  }

  @Test
  void stateAndWireTypesAreFlinkPojosNotKryo() {
    for (Class<?> type :
        new Class<?>[] {
          Engagement.class, EngagedItem.class, TrainingExample.class, TrainerProgress.class
        }) {
      assertThat(TypeInformation.of(type))
          .as(type.getSimpleName())
          .isInstanceOf(PojoTypeInfo.class);
    }
  }

  @Test
  void carriesNoKafkaSettingsIntoTheJobGraph() throws Exception {
    Configuration conf = new Configuration();
    conf.setString("kafka.sasl.jaas.config", "secret");
    conf.setString("bootstrap.servers", "broker:9092");
    conf.setString("training.seed", "7");

    TrainingOptions options = new TrainingOptions(MODEL, conf);

    assertThat(options.seed()).isEqualTo(7L);
    String shipped =
        new String(
            org.apache.flink.util.InstantiationUtil.serializeObject(options),
            java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThat(shipped).doesNotContain("secret").doesNotContain("broker:9092");
  }

  @Test
  void theTrainerRunsOnItsOwnDeviceAndThreadsFallingBackToTheModelsDevice() {
    Configuration conf = new Configuration();
    conf.setString("model.device", "/cpu:0");
    assertThat(new TrainingOptions(MODEL, conf).placement().device()).isEqualTo("/cpu:0");
    conf.setString("training.device", "/gpu:0");
    conf.setString("training.intra-op-threads", "3");
    TrainingOptions options = new TrainingOptions(MODEL, conf);
    assertThat(options.placement().device()).isEqualTo("/gpu:0");
    assertThat(options.placement().intraOpThreads()).isEqualTo(3);
    assertThat(options.placement().interOpThreads()).isEqualTo(1);
    assertThat(options.slotSharingGroup()).isEqualTo("default");
  }
}
