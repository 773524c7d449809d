package io.quasid.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.quasid.job.types.ItemFeature;
import io.quasid.job.types.SourcePosition;
import io.quasid.schemas.ErrorKind;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** After the embedding stage: rejected events become dead letters, the rest pass on. */
class RejectedTextRouterTest {

  @Test
  void aRejectedEventIsDeadLetteredAtItsSourcePositionAndTheRestPassOn() throws Exception {
    SourcePosition at = new SourcePosition("items", 3, 42);
    ItemFeature embedded =
        ItemFeature.text("caliper", "digital caliper", null, 1_000, at)
            .embedded(new float[] {1f, 2f});
    ItemFeature rejected =
        ItemFeature.text("poison", "???", null, 1_000, at)
            .rejected("item poison: the text encoder could not embed its text: boom");
    try (var harness = ProcessFunctionTestHarnesses.forProcessFunction(new RejectedTextRouter())) {
      harness.processElement(embedded, 0);
      harness.processElement(rejected, 0);
      harness.processElement(ItemFeature.delete("gone", 1_000), 0);

      assertThat(harness.extractOutputValues())
          .containsExactly(embedded, ItemFeature.delete("gone", 1_000));
      assertThat(harness.getSideOutput(DeadLetters.TAG))
          .singleElement()
          .satisfies(
              r -> {
                RejectedRecord dead = r.getValue();
                assertThat(dead.kind).isEqualTo(ErrorKind.INVALID);
                assertThat(dead.sourceTopic).isEqualTo("items");
                assertThat(dead.sourcePartition).isEqualTo(3);
                assertThat(dead.sourceOffset).isEqualTo(42);
                assertThat(dead.rawValue).isNull();
                assertThat(dead.reason)
                    .startsWith("item poison: the text encoder could not embed its text: boom")
                    .contains("read them at the source offset");
              });
    }
  }
}
