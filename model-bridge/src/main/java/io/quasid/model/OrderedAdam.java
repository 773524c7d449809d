package io.quasid.model;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Output;
import org.tensorflow.framework.optimizers.Adam;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * tensorflow-framework's Adam with one fix: its {@code finish()} decays the beta powers with
 * assigns that do not wait for the ApplyAdam ops reading them, so with more than one inter-op
 * thread the effective learning rate of a step depends on scheduling and training is not
 * reproducible. Here the decay runs strictly after every variable update.
 */
final class OrderedAdam extends Adam {

  private static final String BETA_ONE_POWER = "beta1_power";
  private static final String BETA_TWO_POWER = "beta2_power";

  OrderedAdam(Graph graph, float learningRate) {
    super(graph, learningRate);
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
    Output<TFloat32> power = graph.operationOrThrow(powerName).<TFloat32>output(0);
    return afterUpdates.assign(power, afterUpdates.math.mul(power, afterUpdates.constant(beta)));
  }
}
