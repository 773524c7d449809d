package io.quasid.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ChurnPolicyTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "ALWAYS, ALWAYS",
    "keep, KEEP",
    "KEEP_UNLESS_BETTER:0.2, KEEP_UNLESS_BETTER:0.2",
    "FREEZE_LEVELS:2, FREEZE_LEVELS:2",
    "keep_unless_coarse_moves, KEEP_UNLESS_COARSE_MOVES:1",
    "KEEP_UNLESS_COARSE_MOVES:2, KEEP_UNLESS_COARSE_MOVES:2",
    "BUDGET:1000:0.1, BUDGET:1000:0.1",
    "BUDGET:1000, BUDGET:1000:0.1",
    "BUDGET:10%:0.0, BUDGET:10%:0.0",
    "BUDGET:10%, BUDGET:10%:0.1",
    "BUDGET:2.5%:0.05, BUDGET:2.5%:0.05",
    "BUDGET:100%:0, BUDGET:100%:0.0",
    "BUDGET:0.01%:0, BUDGET:0.01%:0.0",
    "BUDGET:010.50%:0, BUDGET:10.5%:0.0",
    "' budget : 20% : 0.3 ', BUDGET:20%:0.3",
  })
  void aPolicyIsParsedAndRendersBackToAFormThatParsesTheSame(String text, String rendered) {
    ChurnPolicy policy = ChurnPolicy.parse(text);

    assertThat(policy).hasToString(rendered);
    assertThat(ChurnPolicy.parse(policy.toString())).hasToString(rendered);
  }

  @Test
  void aShareBudgetKeepsItsPercentAndMarginAndNoItemCount() {
    ChurnPolicy policy = ChurnPolicy.parse("BUDGET:12.5%:0.2");

    assertThat(policy.mode()).isEqualTo(ChurnPolicy.Mode.BUDGET);
    assertThat(policy.budgetIsShare()).isTrue();
    assertThat(policy.budgetPercent()).isEqualTo(12.5);
    assertThat(policy.budget()).isZero();
    assertThat(policy.gain(1.0f, 0.85f)).isNaN(); // 15 % better, not above the margin
    assertThat(policy.gain(1.0f, 0.75f)).isEqualTo(0.25);
    assertThat(ChurnPolicy.parse("BUDGET:500:0.2").budgetIsShare()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "BUDGET | BUDGET needs the most items a version may move",
        "BUDGET: | BUDGET needs the most items a version may move",
        "BUDGET:0% | BUDGET share must be in (0, 100] percent",
        "BUDGET:0.0%:0 | BUDGET share must be in (0, 100] percent",
        "BUDGET:100.5%:0 | BUDGET share must be in (0, 100] percent",
        "BUDGET:150% | BUDGET share must be in (0, 100] percent",
        "BUDGET:-5%:0 | BUDGET share must be a decimal percent",
        "BUDGET:%:0 | BUDGET share must be a decimal percent",
        "BUDGET:1e1%:0 | BUDGET share must be a decimal percent",
        "BUDGET:NaN%:0 | BUDGET share must be a decimal percent",
        "BUDGET:10%%:0 | BUDGET share must be a decimal percent",
        "BUDGET:.5%:0 | BUDGET share must be a decimal percent",
        "BUDGET:10%:1.0 | BUDGET margin must be in [0, 1)",
        "BUDGET:10%:-0.1 | BUDGET margin must be in [0, 1)",
        "BUDGET:10%:x | bad churn policy parameter in 'BUDGET:10%:x'",
        "BUDGET:-5:0 | BUDGET items must be >= 0",
        "BUDGET:ten:0 | bad churn policy parameter",
        "BUDGET:10:1 | BUDGET margin must be in [0, 1)",
        "SOMETIMES | unknown churn policy 'SOMETIMES'",
        "FREEZE_LEVELS:0 | FREEZE_LEVELS needs at least 1 level",
        "KEEP_UNLESS_COARSE_MOVES:0 | KEEP_UNLESS_COARSE_MOVES needs at least 1 level",
        "KEEP_UNLESS_COARSE_MOVES:x | bad churn policy parameter",
        "KEEP_UNLESS_BETTER:1 | KEEP_UNLESS_BETTER margin must be in [0, 1)",
      })
  void aBadPolicyIsRefusedWithAMessageThatSaysWhy(String text, String message) {
    assertThatThrownBy(() -> ChurnPolicy.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "7-8-9, ALWAYS, true",
    "7-8-9, KEEP, false",
    // the prefix is kept: FREEZE_LEVELS takes the new fine codes, the coarse policy keeps them all
    "1-8-9, FREEZE_LEVELS:1, true",
    "1-8-9, KEEP_UNLESS_COARSE_MOVES:1, false",
    // level 1 moved: FREEZE_LEVELS keeps the whole old tuple, the coarse policy moves
    "7-2-3, FREEZE_LEVELS:1, false",
    "7-2-3, KEEP_UNLESS_COARSE_MOVES:1, true",
    // two coarse levels: a change on level 2 counts, one on level 3 does not
    "1-8-3, KEEP_UNLESS_COARSE_MOVES:2, true",
    "1-2-9, KEEP_UNLESS_COARSE_MOVES:2, false",
    "1-2-9, KEEP_UNLESS_COARSE_MOVES:5, true",
  })
  void aKnownItemMovesFromCodes1_2_3AsThePolicySays(String fresh, String policy, boolean moves) {
    ItemCodes old = new ItemCodes(new int[] {1, 2, 3}, 0.5f, 1);
    int[] codes = java.util.Arrays.stream(fresh.split("-")).mapToInt(Integer::parseInt).toArray();

    assertThat(ChurnPolicy.parse(policy).accept(old, new ItemCodes(codes, 0.5f, 2)))
        .isEqualTo(moves);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(doubles = {0, -1, 100.0001, Double.NaN, Double.POSITIVE_INFINITY})
  void theShareFactoryRefusesWhatTheParserRefuses(double percent) {
    assertThatThrownBy(() -> ChurnPolicy.budgetShare(percent, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("(0, 100]");
  }

  @ParameterizedTest(name = "{0} of {1} known items -> {2}")
  @CsvSource({
    "10, 100, 10",
    "10, 99, 9",
    "10, 9, 0",
    "10, 0, 0",
    "100, 37, 37",
    "2.5, 4344, 108",
    "5, 4344, 217",
    // In doubles 2.3 * 3000 / 100 is 68.99999999999999: the cap is computed on the decimal p.
    "2.3, 3000, 69",
    "33.3, 3000, 999",
    "0.07, 100000, 70",
    "12.5, 1000000007, 125000000",
  })
  void aShareCapIsThePercentOfTheKnownItemsRoundedDown(double percent, long knownItems, long cap) {
    ChurnPolicy policy = ChurnPolicy.budgetShare(percent, 0);

    assertThat(policy.budgetCap(knownItems, 1, 128)).isEqualTo(cap);
    assertThat(policy.budgetCap(knownItems, 64, 128))
        .as("the subtask's key groups do not matter: its known items do")
        .isEqualTo(cap);
  }

  @ParameterizedTest(name = "{0} items, {1} of {2} key groups -> {3}")
  @CsvSource({
    "1000, 128, 128, 1000",
    "1000, 64, 128, 500",
    "1000, 43, 128, 335",
    "4, 1, 2, 2",
    "3, 1, 2, 1",
    "0, 1, 1, 0",
  })
  void anItemCapIsTheKeyGroupsShareOfTheBudgetRoundedDown(
      long budget, int keyGroups, int maxParallelism, long cap) {
    ChurnPolicy policy = ChurnPolicy.budget(budget, 0);

    assertThat(policy.budgetCap(123_456, keyGroups, maxParallelism)).isEqualTo(cap);
  }

  @Test
  void theShareCapsOfAnyPartitionSumToAtMostTheShareOfTheWhole() {
    ChurnPolicy policy = ChurnPolicy.budgetShare(7.5, 0);
    long[] parts = {13, 0, 1, 399, 27, 1000, 6};
    long whole = 0;
    long sum = 0;
    for (long n : parts) {
      whole += n;
      sum += policy.budgetCap(n, 1, parts.length);
    }

    assertThat(sum).isLessThanOrEqualTo(policy.budgetCap(whole, 1, 1));
    assertThat((double) sum).isLessThanOrEqualTo(0.075 * whole);
  }

  @Test
  void onlyABudgetHasACap() {
    assertThatThrownBy(() -> ChurnPolicy.always().budgetCap(10, 1, 1))
        .isInstanceOf(IllegalStateException.class);
  }
}
