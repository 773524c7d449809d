package io.quasid.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonListMapTest {

  @Test
  void parsesNumberAndStringLists() {
    Map<Integer, List<String>> m =
        JsonListMap.parse("{\"4\": [1, 2, 3], \"0\": [\"<a_146>\", \"<b_3>\"], \"7\": []}");

    assertThat(m).containsOnlyKeys(4, 0, 7);
    assertThat(m.get(4)).containsExactly("1", "2", "3");
    assertThat(m.get(0)).containsExactly("<a_146>", "<b_3>");
    assertThat(m.get(7)).isEmpty();
  }

  @Test
  void rejectsUnexpectedStructure() {
    assertThatThrownBy(() -> JsonListMap.parse("{\"1\": [1], \"x\": 2}"))
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
