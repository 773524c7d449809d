package io.quasid.job.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Which texts of a failed batch fail, and when the batch fails as a whole. */
class IsolatingEncoderTest {

  private final List<List<String>> calls = new ArrayList<>();

  /** Embeds a text as its length; throws on any text in {@code poison}. */
  private Function<List<String>, float[][]> encoderFailingOn(List<String> poison) {
    return texts -> {
      calls.add(texts);
      if (texts.stream().anyMatch(poison::contains)) {
        throw new IllegalArgumentException("cannot embed");
      }
      return texts.stream().map(t -> new float[] {t.length()}).toArray(float[][]::new);
    };
  }

  @Test
  void aBatchTheEncoderTakesIsEmbeddedInOneCall() {
    List<EmbeddedText> out =
        new IsolatingEncoder(encoderFailingOn(List.of())).apply(List.of("ab", "abc"));

    assertThat(out).extracting(e -> e.vector()[0]).containsExactly(2f, 3f);
    assertThat(calls).containsExactly(List.of("ab", "abc"));
  }

  @Test
  void onlyTheTextsThatFailAloneFail() {
    List<EmbeddedText> out =
        new IsolatingEncoder(encoderFailingOn(List.of("bad"))).apply(List.of("ab", "bad", "abc"));

    assertThat(out).extracting(EmbeddedText::isFailed).containsExactly(false, true, false);
    assertThat(out.get(1).failure()).hasMessage("cannot embed");
    assertThat(out.get(2).vector()).containsExactly(3f);
  }

  @Test
  void aBatchOfPoisonFailsTextByTextWhileTheEncoderEmbedsAProbe() {
    List<EmbeddedText> out =
        new IsolatingEncoder(encoderFailingOn(List.of("bad", "worse")))
            .apply(List.of("bad", "worse"));

    assertThat(out).allMatch(EmbeddedText::isFailed);
    assertThat(calls).last().isEqualTo(List.of(IsolatingEncoder.PROBE));
  }

  @Test
  void anEncoderThatFailsTheProbeTooFailsTheBatch() {
    IsolatingEncoder isolating =
        new IsolatingEncoder(
            texts -> {
              throw new IllegalStateException("ONNX session closed");
            });

    assertThatThrownBy(() -> isolating.apply(List.of("ab", "abc")))
        .hasMessageContaining("fails on every text")
        .hasRootCauseMessage("ONNX session closed");
  }
}
