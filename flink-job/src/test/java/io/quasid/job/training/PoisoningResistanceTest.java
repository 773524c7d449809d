package io.quasid.job.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.quasid.job.config.QuasidJobOptions;
import io.quasid.model.QuasidConfig;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * An attacker who can publish events and knows the job's public settings (the default seed among
 * them) searches ids offline for the ones the job's id-keyed draws favour. With a secret key those
 * ids are no more favoured than any others.
 */
class PoisoningResistanceTest {

  private static final QuasidConfig MODEL = QuasidConfig.builder(4).build();

  private static TrainingOptions options(String secret) {
    TrainingOptions o =
        TrainingOptions.defaults(MODEL).with(PairOptions.MAX_ENGAGEMENTS_PER_SECOND, 10.0);
    return secret == null ? o : o.with(TrainingOptions.SECRET, secret);
  }

  private static TrainingExample item(String id) {
    return TrainingExample.item(id, new float[] {1}, null, 1);
  }

  /** The {@code n} ids of {@code candidates} a reservoir seeded with {@code seed} ranks first. */
  private static Set<String> favouredBy(long seed, List<String> candidates, int n) {
    ItemReservoir offline = new ItemReservoir(n, seed);
    candidates.forEach(id -> offline.offer(item(id)));
    return offline.contents().stream().map(e -> e.itemId).collect(Collectors.toSet());
  }

  @Test
  void craftedItemIdsFillTheGatesSampleOnlyWithoutASecret() {
    List<String> candidates = IntStream.range(0, 100_000).mapToObj(i -> "evil-" + i).toList();
    Set<String> crafted = favouredBy(options(null).idDrawSeed(), candidates, 100);
    List<String> honest = IntStream.range(0, 10_000).mapToObj(i -> "item-" + i).toList();

    for (String secret : new String[] {null, "k8s-secret-7f3a"}) {
      ItemReservoir gateSample = new ItemReservoir(100, options(secret).idDrawSeed());
      honest.forEach(id -> gateSample.offer(item(id)));
      crafted.forEach(id -> gateSample.offer(item(id)));
      long taken = gateSample.contents().stream().filter(e -> crafted.contains(e.itemId)).count();

      if (secret == null) {
        // 100 ids from the best 0.1% of 100,000: about 90 outrank all but ~10 of the honest.
        assertThat(taken).as("public key: the attacker owns the gate's sample").isGreaterThan(80);
      } else {
        // 100 of 10,100 ids: about 1 expected; 8 is far in the tail.
        assertThat(taken).as("secret key: crafted ids rank like any others").isLessThan(8);
      }
    }
  }

  @Test
  void craftedUserIdsAreAdmittedOnlyWithoutASecret() {
    long publicSeed = options(null).idDrawSeed();
    // Users the public seed admits at a 1% fraction, found offline among 200,000 candidates.
    List<String> crafted =
        IntStream.range(0, 200_000)
            .mapToObj(i -> "u" + i)
            .filter(u -> admittedAtOnePercent(publicSeed, u))
            .limit(500)
            .toList();
    assertThat(crafted).hasSize(500);

    assertThat(admitted(options(null).engagementAdmission(), crafted)).isEqualTo(500);
    assertThat(admitted(options("k8s-secret-7f3a").engagementAdmission(), crafted))
        .as("about 5 of 500 at a 1% fraction")
        .isLessThan(25);
  }

  @Test
  void theJobGeneratesASecretWhenNoneIsSetAndNeverPrintsIt() {
    QuasidJobOptions job = QuasidJobOptions.defaults();
    TrainingOptions first = job.training(job.modelConfig());
    TrainingOptions second = job.training(job.modelConfig());

    assertThat(first.hasSecret()).isTrue();
    assertThat(first.idDrawSeed()).isNotEqualTo(second.idDrawSeed());
    QuasidJobOptions fixed = job.with(TrainingOptions.SECRET.key(), "k8s-secret-7f3a");
    assertThat(fixed.training(fixed.modelConfig()).idDrawSeed())
        .isEqualTo(options("k8s-secret-7f3a").idDrawSeed());
    assertThat(fixed.toString()).doesNotContain("k8s-secret-7f3a");
  }

  private static boolean admittedAtOnePercent(long seed, String user) {
    return SeededDraws.uniform(seed, 0xAD317L, SeededDraws.idHash(user)) < 0.01;
  }

  /** Drives admission to a 1% fraction (10/s budget, 1,000/s offered), then counts admissions. */
  private static long admitted(EngagementAdmission admission, List<String> users) {
    admission.open(1);
    for (int t = 0; t < 3_000; t++) {
      admission.admit("warm-up-" + t, t);
    }
    long now = 3_000;
    long count = 0;
    for (String user : users) {
      if (admission.admit(user, now)) {
        count++;
      }
    }
    return count;
  }
}
