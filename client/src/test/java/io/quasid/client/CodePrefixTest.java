package io.quasid.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodePrefixTest {

  @Test
  void printsAndParsesTheSidFormat() {
    CodePrefix sid = CodePrefix.ofSid(new int[] {12, 201, 7}, 0);
    assertThat(sid).hasToString("12-201-7/0");
    assertThat(CodePrefix.parse("12-201-7/0")).isEqualTo(sid);
    assertThat(CodePrefix.parse("12-201")).isEqualTo(CodePrefix.ofCodes(12, 201));
    assertThat(sid.isSid()).isTrue();
    assertThat(sid.depth()).isEqualTo(4);
    assertThat(sid.suffix()).isZero();
    assertThatThrownBy(() -> CodePrefix.parse("12-x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CodePrefix.parse("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parentsLeadToTheFirstCode() {
    CodePrefix p = CodePrefix.parse("12-201-7/3");
    List<String> chain = new ArrayList<>();
    for (; p != null; p = p.parent()) {
      chain.add(p.toString());
    }
    assertThat(chain).containsExactly("12-201-7/3", "12-201-7", "12-201", "12");
  }

  @Test
  void sortsParentsBeforeChildren() {
    List<CodePrefix> list =
        new ArrayList<>(
            List.of(
                CodePrefix.parse("1-2/0"),
                CodePrefix.parse("1-2"),
                CodePrefix.parse("1"),
                CodePrefix.parse("0-9")));
    Collections.shuffle(list);
    Collections.sort(list);
    assertThat(list).extracting(CodePrefix::toString).containsExactly("1", "0-9", "1-2", "1-2/0");
  }
}
