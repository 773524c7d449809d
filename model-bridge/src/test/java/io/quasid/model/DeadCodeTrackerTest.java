package io.quasid.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class DeadCodeTrackerTest {

  @Test
  void codesUnusedForTheWindowAreDead() {
    DeadCodeTracker t = new DeadCodeTracker(2, 3);
    t.resetAll(0);
    t.observe(new int[][] {{0, 2}}, 5);
    assertThat(t.deadCodes(0, 9, 10)).isEmpty();
    assertThat(t.deadCodes(0, 10, 10)).containsExactly(1, 2);
    assertThat(t.deadCodes(1, 10, 10)).containsExactly(0, 1);
    assertThat(t.deadCodes(0, 100, 0)).as("disabled").isEmpty();
    t.markUsed(0, 1, 10);
    assertThat(t.deadCodes(0, 10, 10)).containsExactly(2);
  }

  @Test
  void roundTripsThroughBytes() throws IOException {
    DeadCodeTracker t = new DeadCodeTracker(1, 2);
    t.observe(new int[][] {{1}}, 42);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    t.write(new DataOutputStream(bytes));
    DeadCodeTracker back =
        DeadCodeTracker.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    assertThat(back.deadCodes(0, 50, 10)).containsExactly(0);
    assertThat(back.deadCodes(0, 52, 10)).containsExactly(0, 1);
  }
}
