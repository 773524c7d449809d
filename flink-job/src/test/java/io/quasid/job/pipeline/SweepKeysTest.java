package io.quasid.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SweepKeysTest {

  @Test
  void theNextKeyCanBeSeenWithoutBeingTaken() {
    SweepKeys keys = new SweepKeys(() -> Stream.of("a", "b"));
    assertThat(keys.openPass()).isTrue();

    assertThat(keys.peek()).isEqualTo("a");
    assertThat(keys.peek()).isEqualTo("a");
    assertThat(keys.next()).isEqualTo("a");
    assertThat(keys.hasNext()).isTrue();
    assertThat(keys.next()).isEqualTo("b");
    assertThat(keys.hasNext()).isFalse();
    assertThatThrownBy(keys::next).isInstanceOf(NoSuchElementException.class);
  }

  @Test
  void aPassOpensOnceAndStartsOverFromTheFirstKeyAfterClose() {
    AtomicInteger closedStreams = new AtomicInteger();
    AtomicInteger passes = new AtomicInteger();
    SweepKeys keys =
        new SweepKeys(
            () -> {
              passes.incrementAndGet();
              return Stream.of("a", "b", "c").onClose(closedStreams::incrementAndGet);
            });

    assertThat(keys.openPass()).isTrue();
    assertThat(keys.openPass()).as("a pass is open").isFalse();
    keys.next();
    keys.peek(); // "b" seen but not taken: a restart must not hand it out from the old pass
    keys.close();

    assertThat(closedStreams).as("the backend's key stream is released").hasValue(1);
    assertThat(keys.openPass()).isTrue();
    assertThat(List.of(keys.next(), keys.next(), keys.next())).containsExactly("a", "b", "c");
    assertThat(passes).hasValue(2);
  }
}
