package io.quasid.job.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.quasid.job.types.Engagement;
import io.quasid.job.types.Interaction;
import io.quasid.job.types.ItemFeature;
import io.quasid.job.types.ModelUpdate;
import io.quasid.model.QuasidConfig;
import io.quasid.model.QuasidModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole training branch on a MiniCluster with RocksDB state and bounded synthetic streams. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TrainingPipelineITCase {
  private static final int DIM = 8;
  private static final int ITEMS = 150;
  private static final int CLUSTERS = 6;

  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  @Test
  void pairsAndItemsTrainTheModelIntoSuccessiveVersions() throws Exception {
    Configuration conf = new Configuration();
    conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(2);

    QuasidConfig model =
        QuasidConfig.builder(DIM)
            .encoderHidden(16)
            .latentDim(4)
            .levels(2)
            .codebookSize(8)
            .learningRate(1e-2f)
            .kmeansIterations(5)
            .build();
    TrainingOptions options =
        TrainingOptions.defaults(model)
            .with(BatchOptions.BATCH_SIZE, 32)
            .with(BatchOptions.NEW_ROWS_PER_STEP, 16)
            .with(BatchOptions.REPLAY_CAPACITY, 300)
            .with(BatchOptions.INIT_MIN_ROWS, 64)
            .with(BatchOptions.HELD_OUT_FRACTION, 0.2)
            .with(PublishOptions.PUBLISH_EVERY_STEPS, 10)
            .with(PublishOptions.PUBLISH_INTERVAL, Duration.ZERO)
            .with(PublishOptions.COLLISION_TOLERANCE, 1.0)
            // A bounded job ends with its input; unpaid step debt would end with it.
            .with(BatchOptions.MAX_STEPS_PER_SECOND, 0.0);

    List<ItemFeature> catalogue = items();
    DataStream<ItemFeature> items = env.fromData(catalogue, TypeInformation.of(ItemFeature.class));
    DataStream<Engagement> engagements =
        env.fromData(engagements(catalogue), TypeInformation.of(Engagement.class));
    CloseableIterator<ModelUpdate> updates =
        TrainingPipeline.attach(items, engagements, options).collectAsync();
    env.execute("training-pipeline-it");

    List<ModelUpdate> versions = drain(updates);

    assertThat(versions).hasSizeGreaterThanOrEqualTo(2);
    for (int v = 0; v < versions.size(); v++) {
      assertThat(versions.get(v).version).isEqualTo(v + 1);
    }
    try (QuasidModel last = QuasidModel.restore(versions.get(versions.size() - 1).snapshot)) {
      assertThat(last.step()).isPositive();
      assertThat(last.encode(new float[][] {new float[DIM]}).codes()[0]).hasSize(2);
    }
  }

  private static <T> List<T> drain(CloseableIterator<T> it) throws Exception {
    List<T> out = new ArrayList<>();
    try (it) {
      it.forEachRemaining(out::add);
    }
    return out;
  }

  private static List<ItemFeature> items() {
    SplittableRandom random = new SplittableRandom(11);
    float[][] centres = new float[CLUSTERS][DIM];
    for (float[] c : centres) {
      for (int d = 0; d < DIM; d++) {
        c[d] = (float) random.nextGaussian();
      }
    }
    List<ItemFeature> out = new ArrayList<>();
    for (int i = 0; i < ITEMS; i++) {
      float[] v = new float[DIM];
      for (int d = 0; d < DIM; d++) {
        v[d] = centres[i % CLUSTERS][d] + 0.1f * (float) random.nextGaussian();
      }
      out.add(ItemFeature.upsert("i" + i, v, "g" + (i % 10), i));
    }
    return out;
  }

  /** Each user engages five items of one cluster, as the known-item gate passes them on. */
  private static List<Engagement> engagements(List<ItemFeature> catalogue) {
    SplittableRandom random = new SplittableRandom(12);
    List<Engagement> out = new ArrayList<>();
    for (int u = 0; u < 300; u++) {
      int cluster = u % CLUSTERS;
      long t = 10_000L * u;
      for (int k = 0; k < 5; k++) {
        int item = cluster + CLUSTERS * random.nextInt(ITEMS / CLUSTERS);
        out.add(
            new Engagement(
                new Interaction("u" + u, "i" + item, "view", 1f, t + k), catalogue.get(item)));
      }
    }
    return out;
  }
}
