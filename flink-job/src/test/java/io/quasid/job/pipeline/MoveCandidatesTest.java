package io.quasid.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MoveCandidatesTest {

  private static MoveCandidates.Candidate candidate(String id, double gain) {
    return new MoveCandidates.Candidate(id, new ItemCodes(new int[] {1, 2, 3}, 0.1f, 1), gain);
  }

  private static List<String> ids(List<MoveCandidates.Candidate> moves) {
    return moves.stream().map(MoveCandidates.Candidate::itemId).toList();
  }

  @Test
  void theBestGainsMoveUpToTheCapTiesByItemId() {
    MoveCandidates candidates = new MoveCandidates(Long.MAX_VALUE);
    candidates.offer(candidate("c", 0.2));
    candidates.offer(candidate("a", 0.5));
    candidates.offer(candidate("d", 0.9));
    candidates.offer(candidate("b", 0.5));

    assertThat(ids(candidates.toMove(3))).containsExactly("d", "a", "b");
    assertThat(ids(candidates.toMove(10))).containsExactly("d", "a", "b", "c");
    assertThat(candidates.toMove(0)).isEmpty();
    assertThat(candidates.offered()).isEqualTo(4);
  }

  @Test
  void aCapKnownInAdvanceKeepsOnlyThatManyWhateverTheLaterCap() {
    MoveCandidates candidates = new MoveCandidates(2);
    for (int i = 0; i < 10; i++) {
      candidates.offer(candidate("i" + i, i / 10.0));
    }

    assertThat(ids(candidates.toMove(2))).containsExactly("i9", "i8");
    assertThat(ids(candidates.toMove(5))).as("never more than it kept").hasSize(2);
    assertThat(candidates.offered()).isEqualTo(10);
  }

  @Test
  void itemsMovedBeforeARestoreTakeTheirPlacesInTheCap() {
    MoveCandidates candidates = new MoveCandidates(Long.MAX_VALUE);
    candidates.offer(candidate("a", 0.5));
    candidates.offer(candidate("b", 0.4));
    candidates.countAlreadyMoved();
    candidates.countAlreadyMoved();

    assertThat(ids(candidates.toMove(3))).containsExactly("a");
    assertThat(candidates.toMove(2)).isEmpty();
    assertThat(candidates.toMove(1)).as("more moved than the cap: none more").isEmpty();
    assertThat(candidates.alreadyMoved()).isEqualTo(2);
  }
}
