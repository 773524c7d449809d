package io.quasid.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.quasid.job.config.FeatureSource;
import io.quasid.job.types.ItemFeature;
import io.quasid.job.types.SourcePosition;
import io.quasid.schemas.AvroWire;
import io.quasid.schemas.ErrorKind;
import io.quasid.schemas.ItemFeatureEvent;
import io.quasid.schemas.ItemText;
import io.quasid.schemas.Op;
import java.time.Instant;
import java.util.List;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** Which part of an upsert the decoder hands on, per features.source, and bad text. */
class ItemTextDecodingTest {

  private static final int DIM = 2;
  private static final ItemText TEXT =
      ItemText.newBuilder()
          .setTitle(" Digital caliper ")
          .setBrand("Mitutoyo")
          .setCategories(List.of("Tools", " ", "Measuring"))
          .setDescription(null)
          .build();

  private static RawRecord raw(long offset, byte[] value) {
    return new RawRecord("items", 0, offset, 1_000, null, value);
  }

  private static byte[] item(String id, List<Float> features, ItemText text) {
    return AvroWire.ITEM_FEATURES.encode(
        ItemFeatureEvent.newBuilder()
            .setItemId(id)
            .setFeatures(features)
            .setOp(Op.UPSERT)
            .setEventTime(Instant.ofEpochMilli(1_000))
            .setText(text)
            .build());
  }

  private static ItemFeatureDecoder decoder(FeatureSource source, int maxChars) {
    return new ItemFeatureDecoder(
        WireInput.singleObject(AvroWire.ITEM_FEATURES), source, maxChars, DIM, 4096, 3_600_000);
  }

  @Test
  void vectorOrTextTakesTheVectorWhenPresentElseTheComposedText() throws Exception {
    try (var harness =
        ProcessFunctionTestHarnesses.forProcessFunction(
            decoder(FeatureSource.VECTOR_OR_TEXT, 1000))) {
      harness.processElement(raw(0, item("both", List.of(1f, 2f), TEXT)), 0);
      harness.processElement(raw(1, item("text", List.of(), TEXT)), 0);
      harness.processElement(raw(2, item("neither", List.of(), null)), 0);

      assertThat(harness.extractOutputValues())
          .containsExactly(
              ItemFeature.upsert("both", new float[] {1f, 2f}, null, 1_000),
              ItemFeature.text(
                  "text",
                  "Digital caliper. Mitutoyo. Tools, Measuring",
                  null,
                  1_000,
                  new SourcePosition("items", 0, 1)));
      assertThat(harness.getSideOutput(DeadLetters.TAG))
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.getValue().kind).isEqualTo(ErrorKind.INVALID);
                assertThat(r.getValue().reason)
                    .contains("item neither: no text to embed (features.source=vector_or_text)");
              });
    }
  }

  @Test
  void textModeIgnoresVectorsAndCutsLongTexts() throws Exception {
    try (var harness =
        ProcessFunctionTestHarnesses.forProcessFunction(decoder(FeatureSource.TEXT, 15))) {
      harness.processElement(raw(0, item("long", List.of(1f, 2f), TEXT)), 0);
      harness.processElement(raw(1, item("vector-only", List.of(1f, 2f), null)), 0);

      assertThat(harness.extractOutputValues())
          .containsExactly(
              ItemFeature.text(
                  "long", "Digital caliper", null, 1_000, new SourcePosition("items", 0, 0)));
      assertThat(harness.getSideOutput(DeadLetters.TAG))
          .singleElement()
          .satisfies(
              r ->
                  assertThat(r.getValue().reason)
                      .contains("no text to embed (features.source=text; the vector is not used"));
    }
  }
}
