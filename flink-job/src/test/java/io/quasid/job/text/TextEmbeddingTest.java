package io.quasid.job.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.quasid.job.types.ItemFeature;
import io.quasid.job.types.SourcePosition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.function.SerializableSupplier;
import org.junit.jupiter.api.Test;

/**
 * The embedding stage under Flink's ordered async operator, with a stand-in encoder that cannot
 * embed one text: that text's event leaves rejected with the reason, the rest of its batch with
 * vectors, all in order; an encoder that embeds nothing fails the task instead.
 */
class TextEmbeddingTest {

  private static final String POISON = "a text the encoder chokes on";

  /** A vector per text that tells the texts apart; throws on {@link #POISON}. */
  private static float[][] fakeEmbed(List<String> texts) {
    float[][] vectors = new float[texts.size()][];
    for (int i = 0; i < vectors.length; i++) {
      String text = texts.get(i);
      if (text.equals(POISON)) {
        throw new IllegalArgumentException("no tokens in '" + text + "'");
      }
      vectors[i] = new float[] {text.length(), text.charAt(0)};
    }
    return vectors;
  }

  private static ItemFeature text(String id, String text, long offset) {
    return ItemFeature.text(id, text, null, 1_000, new SourcePosition("items", 0, offset));
  }

  private static OneInputStreamOperatorTestHarness<ItemFeature, ItemFeature> harness(
      TextEmbedding embedding) throws Exception {
    return new OneInputStreamOperatorTestHarness<>(
        new AsyncWaitOperatorFactory<>(embedding, 60_000, 16, AsyncDataStream.OutputMode.ORDERED),
        TypeInformation.of(ItemFeature.class).createSerializer(new SerializerConfigImpl()));
  }

  @Test
  void aTextTheEncoderFailsOnIsRejectedAndTheRestOfItsBatchIsEmbedded() throws Exception {
    List<List<String>> calls = Collections.synchronizedList(new ArrayList<>());
    SerializableSupplier<Function<List<String>, float[][]>> encoder =
        () ->
            texts -> {
              calls.add(texts);
              return fakeEmbed(texts);
            };
    // Four texts fill a batch of four at once: the long wait only keeps it from leaving early.
    List<ItemFeature> in =
        List.of(
            text("caliper", "digital caliper", 0),
            text("poison", POISON, 1),
            ItemFeature.delete("gone", 1_000),
            text("beaker", "glass beaker", 2),
            text("goggles", "safety goggles", 3));
    try (var harness = harness(new TextEmbedding(4, Duration.ofSeconds(5), encoder))) {
      harness.open();
      for (ItemFeature item : in) {
        harness.processElement(new StreamRecord<>(item, 1_000));
      }
      harness.endInput();

      assertThat(calls.get(0))
          .as("one batch for all four texts")
          .containsExactly("digital caliper", POISON, "glass beaker", "safety goggles");
      List<ItemFeature> out = harness.extractOutputValues();
      assertThat(out)
          .containsExactly(
              in.get(0).embedded(new float[] {15, 'd'}),
              in.get(1).rejected(out.get(1).rejection),
              in.get(2),
              in.get(3).embedded(new float[] {12, 'g'}),
              in.get(4).embedded(new float[] {14, 's'}));
      assertThat(out.get(1).source).isEqualTo(new SourcePosition("items", 0, 1));
      assertThat(out.get(1).rejection)
          .startsWith("item poison (event time 1970-01-01T00:00:01Z)")
          .contains("could not embed its text")
          .endsWith("java.lang.IllegalArgumentException: no tokens in '" + POISON + "'");
    }
  }

  @Test
  void anEncoderThatEmbedsNothingFailsTheTaskAndRejectsNoText() throws Exception {
    SerializableSupplier<Function<List<String>, float[][]>> broken =
        () ->
            texts -> {
              throw new IllegalStateException("ONNX session closed");
            };
    try (var harness = harness(new TextEmbedding(2, Duration.ZERO, broken))) {
      harness.getEnvironment().setExpectedExternalFailureCause(Throwable.class);
      harness.open();
      // One text: the mock task takes a single failure, where a real one stops at the first.
      harness.processElement(new StreamRecord<>(text("caliper", "digital caliper", 0), 1_000));
      harness.endInput();

      assertThat(harness.extractOutputValues()).isEmpty();
      assertThat(harness.getEnvironment().getActualExternalFailureCause())
          .hasValueSatisfying(
              failure -> assertThat(failure).rootCause().hasMessage("ONNX session closed"));
    }
  }
}
