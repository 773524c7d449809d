package io.quasid.bench.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.quasid.job.pipeline.ChurnPolicy;
import io.quasid.model.QuasidConfig;
import io.quasid.model.QuasidModel;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AssignedCodesTest {

  private static final int ITEMS = 40;

  private final float[][] vectors = new float[ITEMS][4];
  private QuasidModel v1;
  private QuasidModel v2;

  @BeforeEach
  void models() {
    SplittableRandom random = new SplittableRandom(3);
    for (float[] v : vectors) {
      for (int d = 0; d < v.length; d++) {
        v[d] = (float) random.nextGaussian();
      }
    }
    v1 = model(1);
    v2 = model(2);
  }

  private static QuasidModel model(long seed) {
    return QuasidModel.create(
        QuasidConfig.builder(4)
            .encoderHidden(8)
            .latentDim(2)
            .levels(2)
            .codebookSize(4)
            .seed(seed)
            .build());
  }

  @AfterEach
  void close() {
    v1.close();
    v2.close();
  }

  private static boolean[] firstN(int n) {
    boolean[] mask = new boolean[ITEMS];
    for (int i = 0; i < n; i++) {
      mask[i] = true;
    }
    return mask;
  }

  @Test
  void alwaysHoldsTheLiveVersionsCodesOfEveryItem() {
    AssignedCodes held = new AssignedCodes(vectors, ChurnPolicy.always());
    held.assignArrivals(v1, firstN(20));
    double churn = held.apply(v2);
    held.assignArrivals(v2, firstN(ITEMS));

    int[][] expected = v2.encode(vectors).codes();
    assertThat(held.codes(firstN(ITEMS))).isDeepEqualTo(expected);
    int[][] before = v1.encode(vectors).codes();
    long moved = 0;
    for (int i = 0; i < 20; i++) {
      moved += java.util.Arrays.equals(before[i], expected[i]) ? 0 : 1;
    }
    assertThat(churn).isEqualTo(moved / 20.0);
  }

  @Test
  void keepLeavesKnownItemsAtTheirArrivalVersion() {
    AssignedCodes held = new AssignedCodes(vectors, ChurnPolicy.keep());
    held.assignArrivals(v1, firstN(20));
    assertThat(held.apply(v2)).isZero();
    held.assignArrivals(v2, firstN(ITEMS));

    int[][] codes = held.codes(firstN(ITEMS));
    int[][] byV1 = v1.encode(vectors).codes();
    int[][] byV2 = v2.encode(vectors).codes();
    assertThat(java.util.stream.IntStream.range(0, 20))
        .as("the two versions disagree on some known item, so keeping means something")
        .anyMatch(i -> !java.util.Arrays.equals(byV1[i], byV2[i]));
    for (int i = 0; i < ITEMS; i++) {
      assertThat(codes[i]).as("item " + i).isEqualTo(i < 20 ? byV1[i] : byV2[i]);
    }
    assertThat(held.codes(firstN(5))[30]).as("not live: no row").isNull();
  }

  @Test
  void aShareBudgetMovesAtMostItsShareOfTheHeldItemsEachVersion() {
    AssignedCodes held = new AssignedCodes(vectors, ChurnPolicy.parse("BUDGET:10%:0.0"));
    held.assignArrivals(v1, firstN(20));
    int[][] byV1 = v1.encode(vectors).codes();

    assertThat(held.apply(v2)).as("floor(10 % of 20 held) = 2 move").isEqualTo(2 / 20.0);
    int[][] codes = held.codes(firstN(20));
    assertThat(java.util.stream.IntStream.range(0, 20))
        .as("the others keep their v1 codes")
        .filteredOn(i -> !java.util.Arrays.equals(codes[i], byV1[i]))
        .hasSize(2);

    held.assignArrivals(v2, firstN(ITEMS));
    assertThat(held.apply(v1)).as("floor(10 % of 40 held) = 4 at most").isLessThanOrEqualTo(0.1);
  }

  @Test
  void rankedByEngagementsTheBudgetMovesTheMostEngagedChangedItems() {
    AssignedCodes held =
        new AssignedCodes(
            vectors, ChurnPolicy.parse("BUDGET:10%:0.0"), AssignedCodes.BudgetRank.ENGAGEMENTS);
    held.assignArrivals(v1, firstN(20));
    int[][] byV1 = v1.encode(vectors).codes();
    int[][] byV2 = v2.encode(vectors).codes();
    int[] changed =
        java.util.stream.IntStream.range(0, 20)
            .filter(i -> !java.util.Arrays.equals(byV1[i], byV2[i]))
            .toArray();
    assertThat(changed).as("enough items change to rank").hasSizeGreaterThan(2);
    AssignedCodes byGain = new AssignedCodes(vectors, ChurnPolicy.parse("BUDGET:10%:0.0"));
    byGain.assignArrivals(v1, firstN(20));
    byGain.apply(v2);
    List<Integer> movedByGain = moved(byGain.codes(firstN(20)), byV1);
    // The two most engaged are two changed items the gain ranking does not both pick.
    int[] engagements = new int[ITEMS];
    int[] picked =
        java.util.Arrays.stream(changed).filter(i -> !movedByGain.contains(i)).limit(2).toArray();
    assertThat(picked).as("two changed items the gain leaves in place").hasSize(2);
    engagements[picked[0]] = 9;
    engagements[picked[1]] = 5;
    held.engagementsSoFar(engagements);

    assertThat(held.apply(v2)).isEqualTo(2 / 20.0);

    assertThat(moved(held.codes(firstN(20)), byV1))
        .containsExactlyInAnyOrder(picked[0], picked[1])
        .isNotEqualTo(movedByGain);
  }

  /** The items whose codes differ from {@code before}'s. */
  private static List<Integer> moved(int[][] codes, int[][] before) {
    return java.util.stream.IntStream.range(0, codes.length)
        .filter(i -> codes[i] != null && !java.util.Arrays.equals(codes[i], before[i]))
        .boxed()
        .toList();
  }
}
