package io.quasid.bench.quality.generative;

import io.quasid.model.OrderedAdam;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.framework.optimizers.Optimizer.GradAndVar;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The decoder-only transformer in one TensorFlow graph, with two paths over the same weights:
 *
 * <ul>
 *   <li><b>whole sequences</b> (training, loss, prefill): BOS and item tokens under a causal mask,
 *       next-token logits read at chosen positions, the cross-entropy and the Adam step;
 *   <li><b>cached</b> (beam steps): a few new tokens per beam attend to the keys and values a
 *       prefill left for the beam's user (masked past its length) and to each other (causal), so a
 *       beam step does not recompute the history.
 * </ul>
 *
 * Right padding is never attended to by a real token (the causal mask hides everything after it).
 * Not thread-safe.
 */
final class DecoderGraph implements AutoCloseable {

  private final GenerativeConfig config;
  private final int vocabulary;
  private final Graph graph;
  private final Session session;
  private final DecoderWeights weights;

  private final Placeholder<TInt32> tokens;
  private final Placeholder<TInt32> readAt;
  private final Placeholder<TInt32> targets;
  private final Placeholder<TFloat32> choiceMask;
  private final Operand<TFloat32> logits;
  private final Operand<TFloat32> loss;
  private final List<Operand<TFloat32>> keys = new ArrayList<>();
  private final List<Operand<TFloat32>> values = new ArrayList<>();
  private final Op trainOp;

  private final Placeholder<TInt32> stepTokens;
  private final Placeholder<TInt32> stepPositions;
  private final Placeholder<TInt32> stepUsers;
  private final Placeholder<TInt32> pastLengths;
  private final List<Placeholder<TFloat32>> pastKeys = new ArrayList<>();
  private final List<Placeholder<TFloat32>> pastValues = new ArrayList<>();
  private final Operand<TFloat32> stepLogits;

  DecoderGraph(GenerativeConfig config, int vocabulary, int maxPositions, long seed) {
    this.config = config;
    this.vocabulary = vocabulary;
    this.graph = new Graph();
    try {
      Ops tf = Ops.create(graph);
      weights = new DecoderWeights(tf, config, vocabulary, maxPositions, seed);

      tokens = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
      readAt = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      targets = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      choiceMask = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, vocabulary)));
      Operand<TFloat32> hidden = wholeSequences(tf);
      logits = project(tf, tf.gather(hidden, readAt, tf.constant(0)));
      // The softmax of the loss runs over the tokens that continue the target's prefix, as beam
      // search scores them: the model does not spend its training on learning which code tuples
      // exist, only on which of them comes next.
      loss = DecoderOps.crossEntropy(tf, tf.math.add(logits, choiceMask), targets, vocabulary);
      trainOp = adam(tf);

      stepTokens = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
      stepPositions = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
      stepUsers = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      pastLengths = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      for (int l = 0; l < config.layers(); l++) {
        Shape past = Shape.of(-1, -1, config.dim());
        pastKeys.add(tf.placeholder(TFloat32.class, Placeholder.shape(past)));
        pastValues.add(tf.placeholder(TFloat32.class, Placeholder.shape(past)));
      }
      stepLogits = cachedStep(tf);

      // Per-session thread pools: by default the first session of the process sizes one pool
      // that every later session shares, so two of these graphs created first with one thread
      // each would leave the benchmark's parallel runs (and the tokenizers') on a single core.
      session =
          new Session(
              graph,
              ConfigProto.newBuilder()
                  .setIntraOpParallelismThreads(config.intraOpThreads())
                  .setInterOpParallelismThreads(config.interOpThreads())
                  .setUsePerSessionThreads(true)
                  .build());
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  long parameterCount() {
    return weights.parameterCount();
  }

  /** One Adam step on {@code batch}; the mean cross-entropy of its targets before the step. */
  float train(TokenBatch batch) {
    try (Feeds feeds = new Feeds();
        Result r = feeds.whole(batch).fetch(loss).addTarget(trainOp).run()) {
      return ((TFloat32) r.get(0)).getFloat();
    }
  }

  /** The mean cross-entropy of {@code batch}'s targets, no update. */
  float loss(TokenBatch batch) {
    try (Feeds feeds = new Feeds();
        Result r = feeds.whole(batch).fetch(loss).run()) {
      return ((TFloat32) r.get(0)).getFloat();
    }
  }

  /** Runs the histories of a {@link TokenBatch#forDecoding} batch once, for the beam steps. */
  Prefill prefill(TokenBatch histories) {
    try (Feeds feeds = new Feeds()) {
      Session.Runner runner = feeds.whole(histories).fetch(logits);
      keys.forEach(runner::fetch);
      values.forEach(runner::fetch);
      Result result = runner.run();
      try {
        return new Prefill(result, rows((TFloat32) result.get(0)), histories.rowLengths());
      } catch (RuntimeException e) {
        result.close();
        throw e;
      }
    }
  }

  /**
   * Next-token logits after {@code prefixes} (all of one length), each continuing the history of
   * prefill row {@code users[i]}.
   */
  float[][] step(Prefill past, int[] users, int[][] prefixes) {
    int n = users.length;
    int j = prefixes[0].length;
    int[] flat = new int[n * j];
    int[] positions = new int[n * j];
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < j; t++) {
        flat[i * j + t] = prefixes[i][t];
        positions[i * j + t] = past.lengths()[users[i]] + t;
      }
    }
    try (Feeds feeds = new Feeds()) {
      Session.Runner runner =
          session
              .runner()
              .feed(stepTokens, feeds.ints(Shape.of(n, j), flat))
              .feed(stepPositions, feeds.ints(Shape.of(n, j), positions))
              .feed(stepUsers, feeds.ints(Shape.of(n), users))
              .feed(pastLengths, feeds.ints(Shape.of(past.lengths().length), past.lengths()));
      for (int l = 0; l < config.layers(); l++) {
        runner.feed(pastKeys.get(l), past.keys(l)).feed(pastValues.get(l), past.values(l));
      }
      try (Result r = runner.fetch(stepLogits).run()) {
        return rows((TFloat32) r.get(0));
      }
    }
  }

  /** Keys and values of every layer for a batch of histories, and the logits after each. */
  final class Prefill implements AutoCloseable {
    private final Result result;
    private final float[][] lastLogits;
    private final int[] lengths;

    private Prefill(Result result, float[][] lastLogits, int[] lengths) {
      this.result = result;
      this.lastLogits = lastLogits;
      this.lengths = lengths;
    }

    /** Logits of the first item token after history {@code row}. */
    float[] logits(int row) {
      return lastLogits[row];
    }

    int[] lengths() {
      return lengths;
    }

    private Tensor keys(int layer) {
      return result.get(1 + layer);
    }

    private Tensor values(int layer) {
      return result.get(1 + config.layers() + layer);
    }

    @Override
    public void close() {
      result.close();
    }
  }

  private Operand<TFloat32> wholeSequences(Ops tf) {
    Operand<TInt32> shape = tf.shape(tokens);
    Operand<TInt32> rows = tf.gather(shape, tf.constant(0), tf.constant(0));
    Operand<TInt32> length = tf.gather(shape, tf.constant(1), tf.constant(0));
    Operand<TFloat32> positions =
        tf.gather(
            weights.positionEmbedding,
            tf.range(tf.constant(0), length, tf.constant(1)),
            tf.constant(0));
    Operand<TFloat32> x = embed(tf, tokens, rows, length, positions);
    Operand<TFloat32> causal = DecoderOps.causalMask(tf, length);
    int d = config.dim();
    Operand<TInt32> bySequence = tf.stack(List.of(rows, length, tf.constant(d)));
    for (DecoderWeights.Block block : weights.blocks) {
      Operand<TFloat32> h =
          DecoderOps.layerNorm(tf, x, block.attentionNormGain(), block.attentionNormBias());
      Operand<TFloat32> k = tf.linalg.matMul(h, block.key());
      Operand<TFloat32> v = tf.linalg.matMul(h, block.value());
      keys.add(tf.reshape(k, bySequence));
      values.add(tf.reshape(v, bySequence));
      Operand<TFloat32> q = heads(tf, tf.linalg.matMul(h, block.query()), rows, length);
      Operand<TFloat32> attention =
          tf.nn.softmax(
              tf.math.add(DecoderOps.scores(tf, q, heads(tf, k, rows, length), headDim()), causal));
      x = residual(tf, x, DecoderOps.weighted(tf, attention, heads(tf, v, rows, length)), block);
    }
    return DecoderOps.layerNorm(tf, x, weights.finalNormGain, weights.finalNormBias);
  }

  /** The new tokens of every beam against their user's cached history and each other. */
  private Operand<TFloat32> cachedStep(Ops tf) {
    Operand<TInt32> shape = tf.shape(stepTokens);
    Operand<TInt32> rows = tf.gather(shape, tf.constant(0), tf.constant(0));
    Operand<TInt32> length = tf.gather(shape, tf.constant(1), tf.constant(0));
    Operand<TFloat32> positions =
        tf.gather(
            weights.positionEmbedding,
            tf.reshape(stepPositions, tf.constant(new int[] {-1})),
            tf.constant(0));
    Operand<TFloat32> x = embed(tf, stepTokens, rows, length, positions);
    Operand<TFloat32> causal = DecoderOps.causalMask(tf, length);
    Operand<TInt32> pastLength =
        tf.gather(tf.shape(pastKeys.get(0)), tf.constant(1), tf.constant(0));
    Operand<TFloat32> pastMask =
        DecoderOps.paddingMask(tf, tf.gather(pastLengths, stepUsers, tf.constant(0)), pastLength);
    for (int l = 0; l < config.layers(); l++) {
      DecoderWeights.Block block = weights.blocks.get(l);
      Operand<TFloat32> h =
          DecoderOps.layerNorm(tf, x, block.attentionNormGain(), block.attentionNormBias());
      Operand<TFloat32> q = heads(tf, tf.linalg.matMul(h, block.query()), rows, length);
      Operand<TFloat32> k = heads(tf, tf.linalg.matMul(h, block.key()), rows, length);
      Operand<TFloat32> v = heads(tf, tf.linalg.matMul(h, block.value()), rows, length);
      Operand<TFloat32> pk =
          heads(tf, tf.gather(pastKeys.get(l), stepUsers, tf.constant(0)), rows, pastLength);
      Operand<TFloat32> pv =
          heads(tf, tf.gather(pastValues.get(l), stepUsers, tf.constant(0)), rows, pastLength);
      Operand<TFloat32> attention =
          tf.nn.softmax(
              tf.concat(
                  List.of(
                      tf.math.add(DecoderOps.scores(tf, q, pk, headDim()), pastMask),
                      tf.math.add(DecoderOps.scores(tf, q, k, headDim()), causal)),
                  tf.constant(3)));
      Operand<TInt32> zero = tf.constant(0);
      Operand<TInt32> all = tf.constant(-1);
      Operand<TFloat32> toPast =
          tf.slice(
              attention,
              tf.stack(List.of(zero, zero, zero, zero)),
              tf.stack(List.of(all, all, all, pastLength)));
      Operand<TFloat32> toNew =
          tf.slice(
              attention,
              tf.stack(List.of(zero, zero, zero, pastLength)),
              tf.stack(List.of(all, all, all, all)));
      Operand<TFloat32> mixed =
          tf.math.add(DecoderOps.weighted(tf, toPast, pv), DecoderOps.weighted(tf, toNew, v));
      x = residual(tf, x, mixed, block);
    }
    Operand<TFloat32> hidden =
        DecoderOps.layerNorm(tf, x, weights.finalNormGain, weights.finalNormBias);
    // The last new token of each beam: flat row * length + length - 1.
    Operand<TInt32> last =
        tf.math.add(
            tf.math.mul(tf.range(tf.constant(0), rows, tf.constant(1)), length),
            tf.math.sub(length, tf.constant(1)));
    return project(tf, tf.gather(hidden, last, tf.constant(0)));
  }

  /** Token plus position embeddings, flat {@code [rows * length, d]}. */
  private Operand<TFloat32> embed(
      Ops tf,
      Operand<TInt32> ids,
      Operand<TInt32> rows,
      Operand<TInt32> length,
      Operand<TFloat32> positions) {
    Operand<TInt32> flat = tf.constant(new int[] {-1, config.dim()});
    Operand<TFloat32> tokenVectors =
        tf.gather(
            weights.tokenEmbedding, tf.reshape(ids, tf.constant(new int[] {-1})), tf.constant(0));
    // positions is [length, d] (broadcast over rows) or already [rows * length, d].
    Operand<TFloat32> bySequence =
        tf.reshape(tokenVectors, tf.stack(List.of(rows, length, tf.constant(config.dim()))));
    return tf.reshape(
        tf.math.add(
            bySequence,
            tf.reshape(
                positions, tf.stack(List.of(tf.constant(-1), length, tf.constant(config.dim()))))),
        flat);
  }

  /** Attention output projection, then the feed-forward layer, each added to the stream. */
  private Operand<TFloat32> residual(
      Ops tf, Operand<TFloat32> x, Operand<TFloat32> attended, DecoderWeights.Block block) {
    Operand<TFloat32> merged = DecoderOps.mergeHeads(tf, attended, config.dim());
    Operand<TFloat32> afterAttention =
        tf.math.add(
            x,
            tf.math.add(tf.linalg.matMul(merged, block.attentionOut()), block.attentionOutBias()));
    Operand<TFloat32> normed =
        DecoderOps.layerNorm(tf, afterAttention, block.ffnNormGain(), block.ffnNormBias());
    return tf.math.add(afterAttention, DecoderOps.feedForward(tf, normed, block));
  }

  private Operand<TFloat32> heads(
      Ops tf, Operand<TFloat32> x, Operand<TInt32> rows, Operand<TInt32> length) {
    return DecoderOps.splitHeads(tf, x, rows, length, config.heads(), config.dim());
  }

  private int headDim() {
    return config.dim() / config.heads();
  }

  private Operand<TFloat32> project(Ops tf, Operand<TFloat32> hidden) {
    return tf.math.add(tf.linalg.matMul(hidden, weights.output), weights.outputBias);
  }

  private Op adam(Ops tf) {
    List<Variable<TFloat32>> trainable = weights.all();
    Gradients grads = tf.gradients(loss, trainable);
    // Variables are read in place: without this barrier Adam could update one while the backward
    // pass still reads it (the same guard as model-bridge's QuasidGraph).
    List<Op> barrier = new ArrayList<>();
    barrier.add(tf.identity(loss));
    for (int i = 0; i < trainable.size(); i++) {
      barrier.add(tf.identity(grads.dy(i).asOutput().expect(TFloat32.class)));
    }
    Ops gated = tf.withControlDependencies(barrier);
    List<GradAndVar<TFloat32>> pairs = new ArrayList<>();
    for (int i = 0; i < trainable.size(); i++) {
      pairs.add(
          new GradAndVar<>(
              gated.identity(grads.dy(i).asOutput().expect(TFloat32.class)).asOutput(),
              trainable.get(i).asOutput()));
    }
    @SuppressWarnings({"unchecked", "rawtypes"})
    Op op =
        new OrderedAdam(graph, (float) config.learningRate()).applyGradients((List) pairs, "train");
    return op;
  }

  private static float[][] rows(TFloat32 t) {
    int n = Math.toIntExact(t.shape().get(0));
    int cols = Math.toIntExact(t.shape().get(1));
    float[] flat = new float[n * cols];
    t.copyTo(DataBuffers.of(flat, false, false));
    float[][] out = new float[n][cols];
    for (int i = 0; i < n; i++) {
      System.arraycopy(flat, i * cols, out[i], 0, cols);
    }
    return out;
  }

  /** Input tensors of one run, closed together after it. */
  private final class Feeds implements AutoCloseable {
    private final List<Tensor> owned = new ArrayList<>();

    TInt32 ints(Shape shape, int[] values) {
      TInt32 t = TInt32.tensorOf(shape, DataBuffers.of(values, true, false));
      owned.add(t);
      return t;
    }

    Session.Runner whole(TokenBatch batch) {
      Session.Runner runner =
          session
              .runner()
              .feed(tokens, ints(Shape.of(batch.rows(), batch.length()), batch.tokens()))
              .feed(readAt, ints(Shape.of(batch.readAt().length), batch.readAt()));
      if (batch.targets().length > 0) {
        runner
            .feed(targets, ints(Shape.of(batch.targets().length), batch.targets()))
            .feed(choiceMask, mask(batch.choices()));
      }
      return runner;
    }

    /** {@code [targets, vocabulary]}: 0 for a target's choices, {@link DecoderOps#MASKED} else. */
    private TFloat32 mask(int[][] choices) {
      float[] mask = new float[choices.length * vocabulary];
      Arrays.fill(mask, DecoderOps.MASKED);
      for (int k = 0; k < choices.length; k++) {
        for (int token : choices[k]) {
          mask[k * vocabulary + token] = 0;
        }
      }
      TFloat32 t =
          TFloat32.tensorOf(
              Shape.of(choices.length, vocabulary), DataBuffers.of(mask, true, false));
      owned.add(t);
      return t;
    }

    @Override
    public void close() {
      owned.forEach(Tensor::close);
    }
  }

  @Override
  public void close() {
    try (Graph g = graph) {
      session.close();
    }
  }
}
