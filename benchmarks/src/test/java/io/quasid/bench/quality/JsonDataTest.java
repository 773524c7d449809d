package io.quasid.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonDataTest {

  @Test
  void parsesNumberAndStringLists() {
    Map<Integer, List<String>> m =
        JsonData.listMap("{\"4\": [1, 2, 3], \"0\": [\"<a_146>\", \"<b_3>\"], \"7\": []}");

    assertThat(m).containsOnlyKeys(4, 0, 7);
    assertThat(m.get(4)).containsExactly("1", "2", "3");
    assertThat(m.get(0)).containsExactly("<a_146>", "<b_3>");
    assertThat(m.get(7)).isEmpty();
  }

  @Test
  void rejectsUnexpectedStructure() {
    assertThatThrownBy(() -> JsonData.listMap("{\"1\": [1], \"x\": 2}"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parsesRecordsOfStringsWithEscapesAndNulls() {
    Map<Integer, Map<String, String>> m =
        JsonData.stringRecords(
            "{\"0\": {\"title\": \"A \\\"B\\\" \\u00e9\\n\", \"brand\": null},\n \"1\": {}}");

    assertThat(m.get(0)).containsEntry("title", "A \"B\" é\n").containsEntry("brand", "");
    assertThat(m.get(1)).isEmpty();
  }

  @Test
  void rejectsRecordsItDoesNotKnow() {
    assertThatThrownBy(() -> JsonData.stringRecords("{\"0\": {\"a\": {}}}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsonData.stringRecords("{\"0\": {}, \"0\": {}}"))
        .hasMessageContaining("Duplicate");
    assertThatThrownBy(() -> JsonData.stringRecords("{} x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parsesPublishedCodeTokens() {
    assertThat(PublishedIndex.code("<a_146>")).isEqualTo(146);
    assertThat(PublishedIndex.code("<d_0>")).isZero();
    assertThatThrownBy(() -> PublishedIndex.code("146"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
