package io.quasid.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class QuasidConfigTest {

  private static void rejects(UnaryOperator<QuasidConfig.Builder> change, String message) {
    assertThatThrownBy(() -> change.apply(QuasidConfig.builder(8)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void defaultsFollowTheMethod() {
    QuasidConfig c = QuasidConfig.builder(8).build();
    assertThat(c.maskSameGroup()).isFalse();
    assertThat(c.maskNearDuplicates()).isFalse();
    assertThat(c.masking()).isTrue();
    assertThat(c.hasPartialSchedule()).isFalse();
    assertThat(c.partialMargins()).isEmpty();
    assertThat(c.beta()).isEqualTo(0.25f);
    assertThat(c.temperature()).isEqualTo(0.1f);
  }

  @Test
  void rejectsNegativeWeightsThatWouldTurnRepulsionIntoAttraction() {
    rejects(b -> b.lambdaFull(-0.2f), "lambdaFull must be a finite weight >= 0");
    rejects(b -> b.lambdaPartial(-0.1f), "lambdaPartial must be a finite weight >= 0");
    rejects(b -> b.lambdaContrastive(-1f), "lambdaContrastive must be a finite weight >= 0");
    rejects(b -> b.lambdaFull(Float.NaN), "lambdaFull");
    assertThat(QuasidConfig.builder(8).lambdaFull(0f).build().lambdaFull()).isZero();
  }

  @Test
  void rejectsMarginsOutsideTheCosineDistanceRange() {
    rejects(b -> b.marginFull(0f), "marginFull must be in (0, 2]");
    rejects(b -> b.marginPartial(-0.5f), "marginPartial must be in (0, 2]");
    rejects(b -> b.marginFull(2.5f), "marginFull must be in (0, 2]");
    assertThat(QuasidConfig.builder(8).marginFull(2f).build().marginFull()).isEqualTo(2f);
  }

  @Test
  void rejectsBadBetaAndTemperature() {
    rejects(b -> b.beta(-0.25f), "beta (commitment weight) must be a finite value >= 0");
    rejects(b -> b.beta(Float.POSITIVE_INFINITY), "beta");
    rejects(b -> b.temperature(0f), "temperature must be a finite value > 0");
    rejects(b -> b.temperature(Float.NaN), "temperature");
    rejects(b -> b.nearDuplicateCosine(1.5f), "nearDuplicateCosine must be in [-1, 1]");
  }

  @Test
  void partialScheduleNeedsOneValidMarginAndWeightPerHammingDistance() {
    QuasidConfig.Builder r2 = QuasidConfig.builder(8).levels(3).partialRadius(2);
    QuasidConfig ok = r2.partialSchedule(new float[] {0.6f, 0.4f}, new float[] {1f, 0.5f}).build();
    assertThat(ok.hasPartialSchedule()).isTrue();
    assertThat(ok.partialMargins()).containsExactly(0.6f, 0.4f);
    assertThat(ok.partialWeights()).containsExactly(1f, 0.5f);
    rejects(
        b -> b.levels(3).partialRadius(2).partialSchedule(new float[] {0.5f}, new float[] {1f}),
        "one margin and weight per H in [1, partialRadius = 2], got 1");
    rejects(
        b -> b.levels(3).partialRadius(2).partialSchedule(new float[] {0.5f, 0.4f}, new float[0]),
        "must have the same length");
    rejects(
        b ->
            b.levels(3)
                .partialRadius(2)
                .partialSchedule(new float[] {0.5f, 0.4f}, new float[] {1f, -1f}),
        "partialWeights[1] (H = 2) must be a finite weight >= 0");
    rejects(
        b ->
            b.levels(3)
                .partialRadius(2)
                .partialSchedule(new float[] {0.5f, 3f}, new float[] {1f, 1f}),
        "partialMargins[1] (H = 2) must be in (0, 2]");
  }

  @Test
  void scheduleArraysAreCopied() {
    float[] margins = {0.6f, 0.4f};
    QuasidConfig c =
        QuasidConfig.builder(8)
            .levels(3)
            .partialRadius(2)
            .partialSchedule(margins, new float[] {1f, 1f})
            .build();
    margins[0] = 9f;
    c.partialMargins()[1] = 9f;
    assertThat(c.partialMargins()).containsExactly(0.6f, 0.4f);
    assertThat(c.toBuilder().build().partialMargins()).containsExactly(0.6f, 0.4f);
  }
}
