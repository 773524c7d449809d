package io.quasid.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FlagsTest {

  @Test
  void aFlagAtTheEndWithoutItsValueIsNamedWithTheUsage() {
    String[] args = {"--items", "1000", "--skip"};
    assertThat(Flags.value(args, 1, "usage")).isEqualTo("1000");
    assertThatThrownBy(() -> Flags.value(args, 3, "flags: --skip P"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("missing value for --skip; flags: --skip P");
  }
}
