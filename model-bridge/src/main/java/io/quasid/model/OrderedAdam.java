package io.quasid.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.Output;
import org.tensorflow.framework.optimizers.Adam;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.train.ApplyAdam;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/**
 * tensorflow-framework's Adam with two changes.
 *
 * <p>Its {@code finish()} decays the beta powers with assigns that do not wait for the ApplyAdam
 * ops reading them, so with more than one inter-op thread the effective learning rate of a step
 * depends on scheduling and training is not reproducible. Here the decay runs strictly after every
 * variable update.
 *
 * <p>The variables named in {@code fastVariables} (the codebooks) get their own learning rate.
 *
 * <p>Public for other graphs of this project that train with Adam (the benchmarks' generative
 * recommender), so that they get the same ordering fix.
 */
public final class OrderedAdam extends Adam {

  private static final String BETA_ONE_POWER = "beta1_power";
  private static final String BETA_TWO_POWER = "beta2_power";

  private final Set<String> fastVariables;
  private final float fastLearningRate;

  /** One learning rate for every variable. */
  public OrderedAdam(Graph graph, float learningRate) {
    this(graph, learningRate, Set.of(), learningRate);
  }

  OrderedAdam(Graph graph, float learningRate, Set<String> fastVariables, float fastLearningRate) {
    super(graph, learningRate);
    this.fastVariables = fastVariables;
    this.fastLearningRate = fastLearningRate;
  }

  @Override
  @SuppressWarnings("unchecked")
  protected <T extends TType> Op applyDense(Ops deps, Output<T> gradient, Output<T> variable) {
    if (!fastVariables.contains(variable.op().name())) {
      return super.applyDense(deps, gradient, variable);
    }
    Output<TFloat32> var = (Output<TFloat32>) (Output<?>) variable;
    Variable<TFloat32> m = getSlot(var, FIRST_MOMENT).orElseThrow();
    Variable<TFloat32> v = getSlot(var, SECOND_MOMENT).orElseThrow();
    return deps.train.applyAdam(
        var,
        m,
        v,
        power(BETA_ONE_POWER),
        power(BETA_TWO_POWER),
        deps.constant(fastLearningRate),
        deps.constant(BETA_ONE_DEFAULT),
        deps.constant(BETA_TWO_DEFAULT),
        deps.constant(EPSILON_DEFAULT),
        (Output<TFloat32>) (Output<?>) gradient,
        ApplyAdam.useLocking(true));
  }

  private Output<TFloat32> power(String name) {
    return graph.operationOrThrow(name).<TFloat32>output(0);
  }

  @Override
  protected Op finish(List<Op> updateOperations, String name) {
    Ops afterUpdates = tf.withControlDependencies(updateOperations);
    List<Op> all = new ArrayList<>(updateOperations);
    all.add(decay(afterUpdates, BETA_ONE_POWER, BETA_ONE_DEFAULT));
    all.add(decay(afterUpdates, BETA_TWO_POWER, BETA_TWO_DEFAULT));
    return Ops.create(graph).withName(name).withControlDependencies(all).noOp();
  }

  private Op decay(Ops afterUpdates, String powerName, float beta) {
    Output<TFloat32> power = power(powerName);
    return afterUpdates.assign(power, afterUpdates.math.mul(power, afterUpdates.constant(beta)));
  }
}
