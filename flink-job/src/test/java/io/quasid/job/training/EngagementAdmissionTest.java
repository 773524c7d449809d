package io.quasid.job.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EngagementAdmissionTest {

  /** Feeds {@code n} engagements of users {@code from..from+n-1} spread over one second. */
  private static Set<String> second(EngagementAdmission a, long start, int from, int n) {
    Set<String> admitted = new HashSet<>();
    for (int i = 0; i < n; i++) {
      String user = "u" + (from + i);
      if (a.admit(user, start + (1000L * i) / n)) {
        admitted.add(user);
      }
    }
    return admitted;
  }

  @Test
  void belowTheBudgetEveryEngagementTrains() {
    EngagementAdmission a = new EngagementAdmission(1000, 7);
    a.open(2);
    for (int s = 0; s < 5; s++) {
      assertThat(second(a, 1000L * s, 0, 400)).hasSize(400);
    }
    assertThat(a.fraction()).isEqualTo(1.0);
  }

  @Test
  void aboveTheBudgetAShareOfUsersSizedToItIsAdmitted() {
    EngagementAdmission a = new EngagementAdmission(1000, 7);
    a.open(2); // 500 per second on this subtask
    second(a, 0, 0, 5000);
    second(a, 1000, 0, 5000);
    Set<String> admitted = second(a, 2000, 0, 5000);

    assertThat(a.fraction()).isBetween(0.09, 0.11);
    assertThat(admitted.size()).isBetween(400, 600);
    // the same users each second: admission is by user, not by engagement
    assertThat(second(a, 3000, 0, 5000)).isEqualTo(admitted);
  }

  @Test
  void usersAdmittedAtALowerShareStayAdmittedWhenTheRateFalls() {
    EngagementAdmission a = new EngagementAdmission(100, 7);
    a.open(1);
    second(a, 0, 0, 1000);
    second(a, 1000, 0, 1000);
    Set<String> atTenth = second(a, 2000, 0, 1000);
    for (int s = 3; s < 8; s++) {
      second(a, 1000L * s, 0, 200);
    }
    Set<String> later = second(a, 8000, 0, 200);

    assertThat(a.fraction()).isGreaterThan(0.4);
    assertThat(later)
        .containsAll(atTenth.stream().filter(u -> Integer.parseInt(u.substring(1)) < 200).toList());
  }

  @Test
  void noBudgetOrNoClockAdmitsEverything() {
    EngagementAdmission unlimited = new EngagementAdmission(0, 7);
    unlimited.open(1);
    assertThat(second(unlimited, 0, 0, 10_000)).hasSize(10_000);

    EngagementAdmission frozenClock = new EngagementAdmission(1, 7);
    frozenClock.open(1);
    for (int i = 0; i < 10_000; i++) {
      assertThat(frozenClock.admit("u" + i, 0)).isTrue();
    }
    assertThatThrownBy(() -> new EngagementAdmission(-1, 7))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
