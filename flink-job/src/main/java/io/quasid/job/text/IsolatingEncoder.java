package io.quasid.job.text;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The encoder, made to answer for each text: a batch it throws on is embedded again one text at a
 * time, so a text it cannot embed fails alone and the rest of its batch still gets its vectors.
 *
 * <p>A text is failed only while the encoder embeds something else: when every text of a batch
 * fails alone and a probe text fails too, the encoder is broken, not the texts, and the batch fails
 * as a whole (the task restarts; valid texts are not dead-lettered). An {@link Error} always
 * propagates.
 */
final class IsolatingEncoder implements Function<List<String>, List<EmbeddedText>> {

  /** A text any working encoder embeds. */
  static final String PROBE = "A working sentence encoder embeds this text.";

  private final Function<List<String>, float[][]> encoder;

  IsolatingEncoder(Function<List<String>, float[][]> encoder) {
    this.encoder = encoder;
  }

  @Override
  public List<EmbeddedText> apply(List<String> texts) {
    try {
      return Arrays.stream(encoder.apply(texts)).map(EmbeddedText::of).toList();
    } catch (RuntimeException batchFailure) {
      List<EmbeddedText> alone = texts.stream().map(this::embedAlone).toList();
      if (alone.stream().allMatch(EmbeddedText::isFailed) && embedAlone(PROBE).isFailed()) {
        throw new IllegalStateException(
            "the text encoder fails on every text, a probe text included", batchFailure);
      }
      return alone;
    }
  }

  private EmbeddedText embedAlone(String text) {
    try {
      return EmbeddedText.of(encoder.apply(List.of(text))[0]);
    } catch (RuntimeException e) {
      return EmbeddedText.failed(e);
    }
  }
}
