package io.quasid.bench;

import io.quasid.model.Encoding;
import io.quasid.model.QuasidConfig;
import io.quasid.model.QuasidModel;
import io.quasid.model.TrainBatch;
import io.quasid.model.TrainResult;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of the full QuaSID tokenizer (contrastive + repulsion + masking, default config:
 * encoder 512-256-128, latent 32, 3 x 256 codes) per call; items/s = ops/s x batch (see {@link
 * RunJmh}). Inputs are seeded synthetic clustered vectors of unit-ish norm, with batch/4
 * collaborative pairs, so the pair masks and InfoNCE have real work to do.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class ModelThroughputBenchmark {

  @Param({"256", "1024"})
  public int batch;

  @Param({"64", "768"})
  public int inputDim;

  private QuasidModel model;
  private TrainBatch trainBatch;

  @Setup(Level.Trial)
  public void setUp() {
    float[][] vectors = clustered(batch, inputDim, 42);
    long[] ids = new long[batch];
    for (int i = 0; i < batch; i++) {
      ids[i] = i;
    }
    int[][] pairs = new int[batch / 4][];
    for (int b = 0; b < pairs.length; b++) {
      pairs[b] = new int[] {2 * b, 2 * b + 1};
    }
    trainBatch = new TrainBatch(vectors, ids, null, pairs);
    model = QuasidModel.create(QuasidConfig.builder(inputDim).build());
    model.initCodebooks(vectors);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    model.close();
  }

  @Benchmark
  public TrainResult trainStep() {
    return model.trainStep(trainBatch);
  }

  @Benchmark
  public Encoding encode() {
    return model.encode(trainBatch.vectors());
  }

  private static float[][] clustered(int n, int dim, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int clusters = 32;
    double scale = 1 / Math.sqrt(dim);
    float[][] centres = new float[clusters][dim];
    for (float[] c : centres) {
      for (int d = 0; d < dim; d++) {
        c[d] = (float) (scale * random.nextGaussian());
      }
    }
    float[][] x = new float[n][dim];
    for (int i = 0; i < n; i++) {
      float[] c = centres[random.nextInt(clusters)];
      for (int d = 0; d < dim; d++) {
        x[i][d] = c[d] + (float) (0.3 * scale * random.nextGaussian());
      }
    }
    return x;
  }
}
