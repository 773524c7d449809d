package io.quasid.bench.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GrowthSettingsTest {

  @Test
  void beautyIsTheDefaultAndEachDatasetWritesItsOwnReport() {
    GrowthSettings beauty = GrowthSettings.parse(new String[0]);
    GrowthSettings scientific = GrowthSettings.parse(new String[] {"--dataset", "scientific"});

    assertThat(beauty.dataset()).isEqualTo(GrowthSettings.Dataset.BEAUTY);
    assertThat(beauty.stem()).isEqualTo("catalogue-growth");
    assertThat(scientific.dataset()).isEqualTo(GrowthSettings.Dataset.SCIENTIFIC);
    assertThat(scientific.stem()).isEqualTo("catalogue-growth-scientific");
    assertThat(GrowthSettings.parse(new String[] {"--quick", "--dataset", "scientific"}).stem())
        .isEqualTo("catalogue-growth-quick-scientific");
  }

  @Test
  void anUnknownDatasetIsRefused() {
    assertThatThrownBy(() -> GrowthSettings.parse(new String[] {"--dataset", "books"}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
