package io.quasid.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.framework.optimizers.Adam;
import org.tensorflow.framework.optimizers.Optimizer.GradAndVar;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.core.Stack;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The TensorFlow graph and session of one model: encoder, residual quantizer, decoder, loss terms
 * and Adam. Two paths share the encoder: the quantizing path (argmin, used by encode and the
 * serving signature) and the training path, which takes the codes of a preceding forward pass as a
 * placeholder so that no non-differentiable op sits between the loss and the variables.
 */
final class QuasidGraph implements AutoCloseable {

  static final String SIGNATURE_KEY = "serving_default";
  static final String SIGNATURE_INPUT = "vectors";
  static final String SIGNATURE_CODES = "codes";
  static final String SIGNATURE_RESIDUAL_NORMS = "residual_norms";
  private static final String VARIABLE_OP = "VariableV2";

  private final QuasidConfig config;
  private final Graph graph;
  private final Session session;
  private final Placeholder<TFloat32> input;
  private final Operand<TFloat32> latent;
  private final Operand<TInt32> codes;
  private final Operand<TFloat32> residualNorms;
  private final List<Operand<TFloat32>> levelResiduals = new ArrayList<>();
  private final List<Placeholder<TInt32>> codesIn = new ArrayList<>();
  private final List<Operand<TFloat32>> trainable = new ArrayList<>();
  private final Map<String, VariableSlot> variables = new LinkedHashMap<>();
  private final List<String> encodingVariables = new ArrayList<>();
  private final Map<String, Operand<TFloat32>> terms = new LinkedHashMap<>();
  private Placeholder<TInt32> triggerRows;
  private Placeholder<TInt32> targetRows;
  private Placeholder<TFloat32> keepForward;
  private Placeholder<TFloat32> keepBackward;
  private Placeholder<TFloat32> fullMask;
  private Placeholder<TFloat32> partialMask;
  private final List<Placeholder<TFloat32>> partialMaskByHamming = new ArrayList<>();
  private Placeholder<TFloat32> anchorLatents;
  private Placeholder<TFloat32> anchorRowWeights;
  private Placeholder<TFloat32> anchorLatentWeight;
  private final List<Placeholder<TFloat32>> anchorCodebooks = new ArrayList<>();
  private final List<Placeholder<TFloat32>> anchorHeldCodes = new ArrayList<>();
  private Placeholder<TFloat32> anchorCodebookWeight;
  // Test support (gradientsOf): every loss term, split finer than `terms`, and the tensors and
  // variables a gradient can be taken with respect to. Never run by training.
  private final Map<String, Operand<TFloat32>> probeTerms = new LinkedHashMap<>();
  private final Map<String, Operand<TFloat32>> probeTargets = new LinkedHashMap<>();
  private final Ops ops;
  private Operand<TBool> updateFinite;
  private final Op trainOp;

  private QuasidGraph(QuasidConfig config, Graph graph) {
    this.config = config;
    this.graph = graph;
    Ops tf = Ops.create(graph).withDevice(Devices.parse(config.device()));
    ops = tf;
    input =
        tf.withName(SIGNATURE_INPUT)
            .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, config.inputDim())));
    int[] dims = encoderDims(config);
    List<Dense> encoder = layers(tf, "encoder", dims);
    List<Dense> decoder = layers(tf, "decoder", reversed(dims));
    List<Variable<TFloat32>> codebooks = new ArrayList<>();
    for (int l = 0; l < config.levels(); l++) {
      codebooks.add(
          tf.withName(codebookName(l))
              .variable(Shape.of(config.codebookSize(), config.latentDim()), TFloat32.class));
    }
    for (Dense layer : encoder) {
      trainable.add(layer.weights());
      trainable.add(layer.bias());
    }
    for (Dense layer : decoder) {
      trainable.add(layer.weights());
      trainable.add(layer.bias());
    }
    trainable.addAll(codebooks);
    trainable.forEach(v -> probeTargets.put(v.op().name(), v));

    latent = tf.withName("latent").identity(mlp(tf, input, encoder));
    probeTargets.put("latent", latent);
    Operand<TFloat32> residual = latent;
    List<Operand<TInt32>> levelCodes = new ArrayList<>();
    for (Variable<TFloat32> codebook : codebooks) {
      levelResiduals.add(residual);
      Operand<TInt32> c =
          tf.math.argMin(squaredDistances(tf, residual, codebook), tf.constant(1), TInt32.class);
      levelCodes.add(c);
      residual = tf.math.sub(residual, tf.gather(codebook, c, tf.constant(0)));
    }
    codes = tf.withName(SIGNATURE_CODES).stack(levelCodes, Stack.axis(1L));
    residualNorms =
        tf.withName(SIGNATURE_RESIDUAL_NORMS)
            .math
            .sqrt(tf.reduceSum(tf.math.mul(residual, residual), tf.constant(1)));

    Operand<TFloat32> total = buildTrainingLoss(tf, codebooks, decoder);
    trainOp = buildOptimizer(tf, total);
    collectVariables();
    collectEncodingVariables();
    session = new Session(graph, sessionConfig(config));
  }

  /** Builds the graph for {@code config} and opens its session. */
  static QuasidGraph build(QuasidConfig config) {
    Graph graph = new Graph();
    try {
      return new QuasidGraph(config, graph);
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  static ConfigProto sessionConfig(QuasidConfig config) {
    return ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(config.intraOpThreads())
        .setInterOpParallelismThreads(config.interOpThreads())
        .setAllowSoftPlacement(true)
        .build();
  }

  private Operand<TFloat32> buildTrainingLoss(
      Ops tf, List<Variable<TFloat32>> codebooks, List<Dense> decoder) {
    Operand<TFloat32> residual = latent;
    Operand<TFloat32> quantized = null;
    Operand<TFloat32> rq = tf.constant(0f);
    QuasidConfig.LossScale scale = config.lossScale();
    for (int l = 0; l < codebooks.size(); l++) {
      Placeholder<TInt32> in =
          tf.withName("train_codes_" + l)
              .placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      codesIn.add(in);
      Operand<TFloat32> oneHot =
          tf.oneHot(in, tf.constant(config.codebookSize()), tf.constant(1f), tf.constant(0f));
      Operand<TFloat32> q = tf.linalg.matMul(oneHot, codebooks.get(l));
      rq = tf.math.add(rq, Losses.quantization(tf, residual, q, config.beta(), scale));
      probeTerms.put("codebook_" + l, Losses.codebook(tf, residual, q, scale));
      probeTerms.put("commitment_" + l, Losses.commitment(tf, residual, q, scale));
      // r_{l+1} = r_l - sg(q_l), as in the reference RQ-VAE: without the stop-gradient every
      // deeper level's commitment term would also pull the codebooks of earlier levels. So
      // codebook l is moved by its own codebook term only (the straight-through path below gives
      // codebooks no gradient), and the commitment terms move the encoder only. Detached, the
      // deeper residuals carry no gradient at all: only level 1 commits the encoder.
      residual =
          config.detachDeepResiduals()
              ? tf.stopGradient(tf.math.sub(residual, q))
              : tf.math.sub(residual, tf.stopGradient(q));
      quantized = quantized == null ? q : tf.math.add(quantized, q);
    }
    // Straight-through estimator: the decoder sees z_q, the gradient flows to z unchanged.
    Operand<TFloat32> straightThrough =
        tf.math.add(latent, tf.stopGradient(tf.math.sub(quantized, latent)));
    probeTargets.put("straight_through", straightThrough);
    Operand<TFloat32> decoded = mlp(tf, straightThrough, decoder);
    if (scale == QuasidConfig.LossScale.ELEMENT_MEAN) {
      rq = tf.math.div(rq, tf.constant((float) codebooks.size()));
    }
    Operand<TFloat32> rec = Losses.reconstruction(tf, input, decoded, scale);
    terms.put("reconstruction", rec);
    terms.put("quantization", rq);
    Operand<TFloat32> total = tf.math.add(rec, rq);
    if (config.contrastive()) {
      total = tf.math.add(total, buildContrastive(tf));
    }
    if (config.repulsion()) {
      total = tf.math.add(total, buildRepulsion(tf));
    }
    total = tf.math.add(total, buildAnchors(tf, codebooks));
    terms.put("total", total);
    probeTerms.put("reconstruction", rec);
    probeTerms.put("quantization", rq);
    probeTerms.put("total", total);
    return total;
  }

  private Operand<TFloat32> buildContrastive(Ops tf) {
    triggerRows =
        tf.withName("trigger_rows").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    targetRows =
        tf.withName("target_rows").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    keepForward = tf.withName("keep_trigger_to_target").placeholder(TFloat32.class);
    keepBackward = tf.withName("keep_target_to_trigger").placeholder(TFloat32.class);
    Operand<TInt32> batchSize = tf.gather(tf.shape(input), tf.constant(0), tf.constant(0));
    // Selecting rows by a one-hot matmul keeps the gradient dense (Gather's is IndexedSlices).
    Operand<TFloat32> triggers =
        tf.linalg.matMul(
            tf.oneHot(triggerRows, batchSize, tf.constant(1f), tf.constant(0f)), latent);
    Operand<TFloat32> targets =
        tf.linalg.matMul(
            tf.oneHot(targetRows, batchSize, tf.constant(1f), tf.constant(0f)), latent);
    Operand<TFloat32> cl =
        config.contrastiveNegatives() == QuasidConfig.ContrastiveNegatives.BATCH
            ? Losses.infoNce(
                tf,
                triggers,
                targets,
                latent,
                latent,
                keepForward,
                keepBackward,
                config.temperature())
            : Losses.infoNce(
                tf, triggers, targets, keepForward, keepBackward, config.temperature());
    terms.put("contrastive", cl);
    probeTerms.put("contrastive", cl);
    return tf.math.mul(tf.constant(config.lambdaContrastive()), cl);
  }

  /**
   * The anchoring terms ({@link Anchors}). Always in the graph, with their weights fed: an
   * unanchored step feeds zero weights and adds exactly zero to the loss and every gradient.
   */
  private Operand<TFloat32> buildAnchors(Ops tf, List<Variable<TFloat32>> codebooks) {
    anchorLatents =
        tf.withName("anchor_latents")
            .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, config.latentDim())));
    anchorRowWeights =
        tf.withName("anchor_row_weights")
            .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
    anchorLatentWeight = tf.withName("anchor_latent_weight").placeholder(TFloat32.class);
    anchorCodebookWeight = tf.withName("anchor_codebook_weight").placeholder(TFloat32.class);
    Operand<TFloat32> latentTerm =
        weightedSquaredDistance(tf, latent, anchorLatents, anchorRowWeights);
    Operand<TFloat32> held = tf.constant(0f);
    Operand<TFloat32> moved = tf.constant(0f);
    for (int l = 0; l < codebooks.size(); l++) {
      Placeholder<TFloat32> anchor =
          tf.withName("anchor_codebook_" + l)
              .placeholder(
                  TFloat32.class,
                  Placeholder.shape(Shape.of(config.codebookSize(), config.latentDim())));
      Placeholder<TFloat32> rows =
          tf.withName("anchor_held_codes_" + l)
              .placeholder(TFloat32.class, Placeholder.shape(Shape.of(config.codebookSize())));
      anchorCodebooks.add(anchor);
      anchorHeldCodes.add(rows);
      Operand<TFloat32> diff = tf.math.sub(codebooks.get(l), anchor);
      Operand<TFloat32> perCode = tf.reduceSum(tf.math.mul(diff, diff), tf.constant(1));
      moved = tf.math.add(moved, tf.reduceSum(tf.math.mul(perCode, rows), tf.constant(0)));
      held = tf.math.add(held, tf.reduceSum(rows, tf.constant(0)));
    }
    Operand<TFloat32> codebookTerm = tf.math.div(moved, tf.math.maximum(held, tf.constant(1f)));
    terms.put("anchorLatent", latentTerm);
    terms.put("anchorCodebook", codebookTerm);
    probeTerms.put("anchorLatent", latentTerm);
    probeTerms.put("anchorCodebook", codebookTerm);
    return tf.math.add(
        tf.math.mul(anchorLatentWeight, latentTerm),
        tf.math.mul(anchorCodebookWeight, codebookTerm));
  }

  /** {@code sum_i w_i ||x_i - a_i||^2 / max(1, sum_i w_i)}. */
  private static Operand<TFloat32> weightedSquaredDistance(
      Ops tf, Operand<TFloat32> x, Operand<TFloat32> anchor, Operand<TFloat32> weights) {
    Operand<TFloat32> diff = tf.math.sub(x, anchor);
    Operand<TFloat32> perRow = tf.reduceSum(tf.math.mul(diff, diff), tf.constant(1));
    Operand<TFloat32> sum = tf.reduceSum(tf.math.mul(perRow, weights), tf.constant(0));
    return tf.math.div(
        sum, tf.math.maximum(tf.reduceSum(weights, tf.constant(0)), tf.constant(1f)));
  }

  private Operand<TFloat32> buildRepulsion(Ops tf) {
    fullMask = tf.withName("full_collision_mask").placeholder(TFloat32.class);
    Operand<TFloat32> full = Losses.marginRepulsion(tf, latent, fullMask, config.marginFull());
    Operand<TFloat32> partial;
    if (config.hasPartialSchedule()) {
      // Each H in [1, R] is its own tier, averaged over its own pairs like the full tier.
      float[] margins = config.partialMargins();
      float[] weights = config.partialWeights();
      partial = tf.constant(0f);
      for (int h = 1; h <= margins.length; h++) {
        Placeholder<TFloat32> mask =
            tf.withName("partial_collision_mask_h" + h).placeholder(TFloat32.class);
        partialMaskByHamming.add(mask);
        Operand<TFloat32> tier = Losses.marginRepulsion(tf, latent, mask, margins[h - 1]);
        partial = tf.math.add(partial, tf.math.mul(tf.constant(weights[h - 1]), tier));
      }
    } else {
      partialMask = tf.withName("partial_collision_mask").placeholder(TFloat32.class);
      partial = Losses.marginRepulsion(tf, latent, partialMask, config.marginPartial());
    }
    terms.put("repulsionFull", full);
    terms.put("repulsionPartial", partial);
    probeTerms.put("repulsionFull", full);
    probeTerms.put("repulsionPartial", partial);
    return tf.math.add(
        tf.math.mul(tf.constant(config.lambdaFull()), full),
        tf.math.mul(tf.constant(config.lambdaPartial()), partial));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Op buildOptimizer(Ops tf, Operand<TFloat32> total) {
    // Explicit gradients of the trainable variables only: minimize() would also differentiate
    // the optimizer's own state.
    Gradients grads = tf.gradients(total, trainable);
    // Reference variables are read in place: without this barrier Adam may update a layer while
    // the backward pass of an earlier layer still reads it, which makes training racy.
    List<Op> barrier = new ArrayList<>();
    for (int i = 0; i < trainable.size(); i++) {
      barrier.add(tf.identity(grads.dy(i).asOutput().expect(TFloat32.class)));
    }
    terms.values().forEach(term -> barrier.add(tf.identity(term)));
    Ops gated = tf.withControlDependencies(barrier);
    // An update is applied only when the loss and every gradient are finite. The gradients reach
    // Adam through a Switch on that predicate: when it is false they are dead tensors, so no
    // ApplyAdam and no beta-power decay runs and the step leaves every variable as it was.
    Operand<TBool> finite = allFinite(tf, total);
    for (int i = 0; i < trainable.size(); i++) {
      finite =
          tf.math.logicalAnd(finite, allFinite(tf, grads.dy(i).asOutput().expect(TFloat32.class)));
    }
    updateFinite = tf.withName("update_finite").identity(finite);
    List<GradAndVar<TFloat32>> pairs = new ArrayList<>();
    for (int i = 0; i < trainable.size(); i++) {
      Operand<TFloat32> grad = gated.identity(grads.dy(i).asOutput().expect(TFloat32.class));
      Output<TFloat32> applied = gated.switchCond(grad, updateFinite).outputTrue();
      pairs.add(new GradAndVar<>(applied, trainable.get(i).asOutput()));
    }
    Set<String> codebookNames = new HashSet<>();
    for (int l = 0; l < config.levels(); l++) {
      codebookNames.add(codebookName(l));
    }
    Adam adam =
        new OrderedAdam(graph, config.learningRate(), codebookNames, config.codebookLearningRate());
    return adam.applyGradients((List) pairs, "train");
  }

  private static Operand<TBool> allFinite(Ops tf, Operand<TFloat32> t) {
    Operand<TFloat32> flat = tf.reshape(t, tf.constant(new int[] {-1}));
    return tf.reduceAll(tf.math.isFinite(flat), tf.constant(0));
  }

  private void collectVariables() {
    Ops tf = Ops.create(graph).withSubScope("restore");
    List<GraphOperation> ops = new ArrayList<>();
    Iterator<GraphOperation> it = graph.operations();
    while (it.hasNext()) {
      GraphOperation op = it.next();
      if (op.type().equals(VARIABLE_OP)) {
        ops.add(op);
      }
    }
    ops.sort(Comparator.comparing(GraphOperation::name));
    for (GraphOperation op : ops) {
      Output<TFloat32> var = op.<TFloat32>output(0).expect(TFloat32.class);
      Placeholder<TFloat32> value = tf.placeholder(TFloat32.class);
      variables.put(
          op.name(),
          new VariableSlot(op.name(), var.shape().asArray(), var, value, tf.assign(var, value)));
    }
  }

  // The variables the quantizing path reads, found by walking the graph back from its outputs
  // (data and control inputs), so that an inference-only snapshot cannot miss one.
  private void collectEncodingVariables() {
    Set<String> seen = new HashSet<>();
    List<GraphOperation> pending = new ArrayList<>();
    for (Operand<?> output : List.of(codes, residualNorms, latent)) {
      pending.add((GraphOperation) output.op());
    }
    levelResiduals.forEach(r -> pending.add((GraphOperation) r.op()));
    Set<String> reached = new HashSet<>();
    while (!pending.isEmpty()) {
      GraphOperation op = pending.remove(pending.size() - 1);
      if (!seen.add(op.name())) {
        continue;
      }
      if (op.type().equals(VARIABLE_OP)) {
        reached.add(op.name());
      }
      op.inputs().forEach(in -> pending.add((GraphOperation) in.op()));
      pending.addAll(op.controlInputs());
    }
    variables.keySet().stream().filter(reached::contains).forEach(encodingVariables::add);
  }

  /** Encoder outputs z for {@code x}. */
  float[][] latent(float[][] x) {
    try (TFloat32 in = TensorIo.matrix(x, config.inputDim());
        Result r = session.runner().feed(input, in).fetch(latent).run()) {
      return TensorIo.rows((TFloat32) r.get(0));
    }
  }

  /** Quantizing forward pass; level residuals are fetched only when asked for. */
  Forward forward(float[][] x, boolean withLevelResiduals) {
    return forward(x, withLevelResiduals, false);
  }

  /** Quantizing forward pass; level residuals and the latent are fetched only when asked for. */
  Forward forward(float[][] x, boolean withLevelResiduals, boolean withLatent) {
    try (TFloat32 in = TensorIo.matrix(x, config.inputDim())) {
      Session.Runner runner = session.runner().feed(input, in).fetch(codes).fetch(residualNorms);
      if (withLevelResiduals) {
        levelResiduals.forEach(runner::fetch);
      }
      if (withLatent) {
        runner.fetch(latent);
      }
      try (Result r = runner.run()) {
        float[][][] residuals = null;
        int next = 2;
        if (withLevelResiduals) {
          residuals = new float[levelResiduals.size()][][];
          for (int l = 0; l < residuals.length; l++) {
            residuals[l] = TensorIo.rows((TFloat32) r.get(next++));
          }
        }
        float[][] z = withLatent ? TensorIo.rows((TFloat32) r.get(next)) : null;
        return new Forward(
            TensorIo.rows((TInt32) r.get(0)), TensorIo.flat((TFloat32) r.get(1)), residuals, z);
      }
    }
  }

  /**
   * One Adam step on the training path; returns the loss terms before the update, and whether the
   * update was applied (it is not when the loss or a gradient is non-finite).
   */
  LossValues train(
      float[][] x,
      int[][] batchCodes,
      CollisionTiers tiers,
      ContrastivePairs pairs,
      Anchors anchors) {
    List<AutoCloseable> owned = new ArrayList<>();
    try {
      Session.Runner runner = feedTraining(owned, x, batchCodes, tiers, pairs, anchors);
      List<String> names = new ArrayList<>(terms.keySet());
      names.forEach(name -> runner.fetch(terms.get(name)));
      runner.fetch(updateFinite);
      try (Result r = runner.addTarget(trainOp).run()) {
        Map<String, Float> values = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
          values.put(names.get(i), TensorIo.scalar((TFloat32) r.get(i)));
        }
        boolean applied = ((TBool) r.get(names.size())).getBoolean();
        return new LossValues(
            values.get("total"),
            values.get("reconstruction"),
            values.get("quantization"),
            values.getOrDefault("contrastive", 0f),
            values.getOrDefault("repulsionFull", 0f),
            values.getOrDefault("repulsionPartial", 0f),
            values.getOrDefault("anchorLatent", 0f),
            values.getOrDefault("anchorCodebook", 0f),
            applied);
      }
    } finally {
      closeAll(owned);
    }
  }

  /**
   * Test support: the gradient of one loss term of the training path with respect to each target,
   * on the given batch, without updating anything. Terms: {@code total}, {@code reconstruction},
   * {@code quantization}, {@code codebook_l}, {@code commitment_l} (beta excluded), {@code
   * contrastive}, {@code repulsionFull}, {@code repulsionPartial} (those present in the config).
   * Targets: any trainable variable name, {@code latent} (z) or {@code straight_through} (z_q'). A
   * target the term does not reach gets zeros.
   */
  Map<String, float[]> gradientsOf(
      String term,
      List<String> targets,
      float[][] x,
      int[][] batchCodes,
      CollisionTiers tiers,
      ContrastivePairs pairs,
      Anchors anchors) {
    Operand<TFloat32> y = probeTerms.get(term);
    if (y == null) {
      throw new IllegalArgumentException("no loss term " + term + " in " + probeTerms.keySet());
    }
    List<Operand<TFloat32>> xs = new ArrayList<>();
    for (String name : targets) {
      Operand<TFloat32> target = probeTargets.get(name);
      if (target == null) {
        throw new IllegalArgumentException("no target " + name + " in " + probeTargets.keySet());
      }
      xs.add(target);
      // 0 * sum(target) makes every target reachable, so an unreached one gets zeros, not null.
      y = ops.math.add(y, ops.math.mul(ops.constant(0f), ops.reduceSum(target, allAxes(target))));
    }
    Gradients grads = ops.gradients(y, xs);
    List<AutoCloseable> owned = new ArrayList<>();
    try {
      Session.Runner runner = feedTraining(owned, x, batchCodes, tiers, pairs, anchors);
      for (int i = 0; i < xs.size(); i++) {
        runner.fetch(grads.dy(i));
      }
      try (Result r = runner.run()) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (int i = 0; i < xs.size(); i++) {
          out.put(targets.get(i), TensorIo.flat((TFloat32) r.get(i)));
        }
        return out;
      }
    } finally {
      closeAll(owned);
    }
  }

  private Operand<TInt32> allAxes(Operand<TFloat32> t) {
    return ops.range(ops.constant(0), ops.rank(t), ops.constant(1));
  }

  private Session.Runner feedTraining(
      List<AutoCloseable> owned,
      float[][] x,
      int[][] batchCodes,
      CollisionTiers tiers,
      ContrastivePairs pairs,
      Anchors anchors) {
    Session.Runner runner =
        session.runner().feed(input, own(owned, TensorIo.matrix(x, config.inputDim())));
    runner
        .feed(anchorLatents, own(owned, TensorIo.matrix(anchors.latents(), config.latentDim())))
        .feed(anchorRowWeights, own(owned, TensorIo.vector(anchors.rowWeights())))
        .feed(anchorLatentWeight, own(owned, TFloat32.scalarOf(anchors.latentWeight())))
        .feed(anchorCodebookWeight, own(owned, TFloat32.scalarOf(anchors.codebookWeight())));
    for (int l = 0; l < anchorCodebooks.size(); l++) {
      runner
          .feed(
              anchorCodebooks.get(l),
              own(owned, TensorIo.matrix(anchors.codebooks()[l], config.latentDim())))
          .feed(anchorHeldCodes.get(l), own(owned, TensorIo.vector(anchors.heldCodes()[l])));
    }
    for (int l = 0; l < codesIn.size(); l++) {
      int[] levelCodes = new int[batchCodes.length];
      for (int i = 0; i < levelCodes.length; i++) {
        levelCodes[i] = batchCodes[i][l];
      }
      runner.feed(codesIn.get(l), own(owned, TensorIo.vector(levelCodes)));
    }
    if (config.contrastive()) {
      // [P][P] against the pairs, [P][B] against the whole batch (also when P = 0)
      int candidates =
          config.contrastiveNegatives() == QuasidConfig.ContrastiveNegatives.BATCH
              ? x.length
              : pairs.size();
      runner
          .feed(triggerRows, own(owned, TensorIo.vector(pairs.triggerRows())))
          .feed(targetRows, own(owned, TensorIo.vector(pairs.targetRows())))
          .feed(keepForward, own(owned, TensorIo.matrix(pairs.keepTriggerToTarget(), candidates)))
          .feed(keepBackward, own(owned, TensorIo.matrix(pairs.keepTargetToTrigger(), candidates)));
    }
    if (config.repulsion()) {
      runner.feed(fullMask, own(owned, square(tiers.full())));
      if (config.hasPartialSchedule()) {
        if (tiers.partialByHamming() == null) {
          throw new IllegalArgumentException("a per-Hamming schedule needs per-H partial masks");
        }
        for (int h = 0; h < partialMaskByHamming.size(); h++) {
          runner.feed(partialMaskByHamming.get(h), own(owned, square(tiers.partialByHamming()[h])));
        }
      } else {
        runner.feed(partialMask, own(owned, square(tiers.partial())));
      }
    }
    return runner;
  }

  /** Names of every variable (weights, codebooks, Adam slots and beta powers), sorted. */
  Collection<String> variableNames() {
    return variables.keySet();
  }

  /**
   * Names of the variables the quantizing path (encode, the serving signature) reads, sorted: the
   * encoder's weights and biases and the codebooks. Nothing of the decoder or of Adam.
   */
  List<String> encodingVariableNames() {
    return List.copyOf(encodingVariables);
  }

  /** Reads the variables the quantizing path needs (see {@link #encodingVariableNames()}). */
  Map<String, float[]> readEncodingVariables() {
    return readVariables(session, encodingVariables);
  }

  /** The codebooks, {@code [levels][codebookSize * latentDim]}. */
  float[][] readCodebooks() {
    List<String> names = new ArrayList<>();
    for (int l = 0; l < config.levels(); l++) {
      names.add(codebookName(l));
    }
    Map<String, float[]> values = readVariables(session, names);
    return names.stream().map(values::get).toArray(float[][]::new);
  }

  static String codebookName(int level) {
    return "codebook_" + level;
  }

  Map<String, float[]> readVariables() {
    return readVariables(session, variables.keySet());
  }

  /** Reads named float variables from any session whose graph has them (e.g. a loaded bundle). */
  static Map<String, float[]> readVariables(Session from, Collection<String> names) {
    Map<String, float[]> values = new LinkedHashMap<>();
    if (names.isEmpty()) {
      return values;
    }
    Session.Runner runner = from.runner();
    names.forEach(runner::fetch);
    try (Result r = runner.run()) {
      int i = 0;
      for (String name : names) {
        values.put(name, TensorIo.flat((TFloat32) r.get(i++)));
      }
    }
    return values;
  }

  float[] readVariable(String name) {
    return readVariables(session, List.of(slot(name).name())).get(name);
  }

  /** Overwrites the named variables; every value must match the variable's size. */
  void writeVariables(Map<String, float[]> values) {
    List<AutoCloseable> owned = new ArrayList<>();
    try {
      Session.Runner runner = session.runner();
      for (Map.Entry<String, float[]> e : values.entrySet()) {
        VariableSlot slot = slot(e.getKey());
        if (e.getValue().length != slot.size()) {
          throw new IllegalArgumentException(
              "variable "
                  + slot.name()
                  + " needs "
                  + slot.size()
                  + " values, got "
                  + e.getValue().length);
        }
        runner.feed(slot.value(), own(owned, TensorIo.tensor(slot.shape(), e.getValue())));
        runner.addTarget(slot.assign());
      }
      if (!runner.isEmpty()) {
        runner.run().close();
      }
    } finally {
      closeAll(owned);
    }
  }

  long[] shape(String name) {
    return slot(name).shape().clone();
  }

  /** Names of the trainable variables in creation order (encoder, decoder, codebooks). */
  List<String> trainableNames() {
    List<String> names = new ArrayList<>();
    for (Operand<TFloat32> v : trainable) {
      names.add(v.op().name());
    }
    return names;
  }

  /** Writes a SavedModel with the "serve" tag and an encoding signature (vectors -> codes). */
  void exportSavedModel(Path dir) {
    Signature signature =
        Signature.builder(SIGNATURE_KEY)
            .input(SIGNATURE_INPUT, input)
            .output(SIGNATURE_CODES, codes)
            .output(SIGNATURE_RESIDUAL_NORMS, residualNorms)
            .build();
    try {
      SavedModelBundle.exporter(dir.toString())
          .withSession(session)
          .withSignature(signature)
          .export();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot export SavedModel to " + dir, e);
    }
  }

  private VariableSlot slot(String name) {
    VariableSlot slot = variables.get(name);
    if (slot == null) {
      throw new IllegalArgumentException("no variable named " + name);
    }
    return slot;
  }

  private static TFloat32 square(float[][] m) {
    return TensorIo.matrix(m, m.length);
  }

  private static <T extends AutoCloseable> T own(List<AutoCloseable> owned, T resource) {
    owned.add(resource);
    return resource;
  }

  private static void closeAll(List<AutoCloseable> owned) {
    for (AutoCloseable c : owned) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException("cannot release tensor", e);
      }
    }
  }

  private static int[] encoderDims(QuasidConfig config) {
    int[] hidden = config.encoderHidden();
    int[] dims = new int[hidden.length + 2];
    dims[0] = config.inputDim();
    System.arraycopy(hidden, 0, dims, 1, hidden.length);
    dims[dims.length - 1] = config.latentDim();
    return dims;
  }

  private static int[] reversed(int[] dims) {
    int[] out = new int[dims.length];
    for (int i = 0; i < dims.length; i++) {
      out[i] = dims[dims.length - 1 - i];
    }
    return out;
  }

  private static List<Dense> layers(Ops tf, String prefix, int[] dims) {
    List<Dense> layers = new ArrayList<>();
    for (int i = 0; i + 1 < dims.length; i++) {
      layers.add(
          new Dense(
              tf.withName(prefix + "_w" + i)
                  .variable(Shape.of(dims[i], dims[i + 1]), TFloat32.class),
              tf.withName(prefix + "_b" + i).variable(Shape.of(dims[i + 1]), TFloat32.class)));
    }
    return layers;
  }

  /** Dense layers with ReLU between them and a linear last layer. */
  private static Operand<TFloat32> mlp(Ops tf, Operand<TFloat32> x, List<Dense> layers) {
    Operand<TFloat32> h = x;
    for (int i = 0; i < layers.size(); i++) {
      h = tf.math.add(tf.linalg.matMul(h, layers.get(i).weights()), layers.get(i).bias());
      if (i + 1 < layers.size()) {
        h = tf.nn.relu(h);
      }
    }
    return h;
  }

  /** {@code [n][K]} squared distances ||r||^2 - 2 r.C + ||C||^2 without materialising [n][K][e]. */
  private static Operand<TFloat32> squaredDistances(
      Ops tf, Operand<TFloat32> r, Operand<TFloat32> codebook) {
    Operand<TFloat32> rNorm =
        tf.reduceSum(tf.math.mul(r, r), tf.constant(1), ReduceSum.keepDims(true));
    Operand<TFloat32> cNorm =
        tf.reduceSum(tf.math.mul(codebook, codebook), tf.constant(1), ReduceSum.keepDims(true));
    Operand<TFloat32> cross = tf.linalg.matMul(r, codebook, MatMul.transposeB(true));
    return tf.math.add(
        tf.math.sub(rNorm, tf.math.mul(tf.constant(2f), cross)),
        tf.linalg.transpose(cNorm, tf.constant(new int[] {1, 0})));
  }

  /** One dense layer's parameters. */
  private record Dense(Variable<TFloat32> weights, Variable<TFloat32> bias) {}

  @Override
  public void close() {
    try (Graph g = graph) {
      session.close();
    }
  }
}
