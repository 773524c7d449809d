package io.quasid.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonStringRecordsTest {

  @Test
  void parsesRecordsOfStringsWithEscapesAndNulls() {
    Map<Integer, Map<String, String>> m =
        JsonStringRecords.parse(
            "{\"0\": {\"title\": \"A \\\"B\\\" \\u00e9\\n\", \"brand\": null},\n \"1\": {}}");

    assertThat(m.get(0)).containsEntry("title", "A \"B\" é\n").containsEntry("brand", "");
    assertThat(m.get(1)).isEmpty();
  }

  @Test
  void rejectsWhatItDoesNotKnow() {
    assertThatThrownBy(() -> JsonStringRecords.parse("{\"0\": {\"a\": 1}}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsonStringRecords.parse("{\"0\": {}, \"0\": {}}"))
        .hasMessageContaining("duplicate");
    assertThatThrownBy(() -> JsonStringRecords.parse("{} x")).hasMessageContaining("trailing");
  }
}
