package io.quasid.job.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Checks the bundled sample against counts and values taken from the files with Python. */
class BeautyCatalogTest {

  private static BeautyCatalog catalog;

  @BeforeAll
  static void load() {
    catalog = BeautyCatalog.load();
  }

  @Test
  void hasTheFiveCoreCounts() {
    assertThat(catalog.size()).isEqualTo(12_101);
    assertThat(catalog.dimension()).isEqualTo(64);
    assertThat(catalog.sequences()).hasSize(22_363);
    assertThat(catalog.interactionCount()).isEqualTo(198_502);
    assertThat(catalog.itemIds()).hasSize(12_101).startsWith("1", "2").endsWith("12101");
  }

  @Test
  void rowsAreItemsInOneBasedOrder() {
    assertThat(catalog.features("1"))
        .hasSize(64)
        .startsWith(-0.6775237917900085f, -0.40234291553497314f, 0.7171650528907776f);
    assertThat(catalog.features("4"))
        .startsWith(-0.33989277482032776f, 0.2323886603116989f, 0.3994954228401184f);
    assertThat(catalog.features("12101"))
        .startsWith(-0.2162894755601883f, -0.30157896876335144f, 0.5601269006729126f);
  }

  @Test
  void featuresAreCopies() {
    catalog.features("1")[0] = 42f;

    assertThat(catalog.features("1")[0]).isEqualTo(-0.6775237917900085f);
  }

  @Test
  void productGroupIsTheFirstAttribute() {
    assertThat(catalog.productGroup("1")).isEqualTo("173");
    assertThat(catalog.productGroup("4")).isEqualTo("1");
    assertThat(catalog.productGroup("12101")).isEqualTo("17");
  }

  @Test
  void sequencesKeepFileOrder() {
    UserSequence first = catalog.sequences().get(0);
    UserSequence last = catalog.sequences().get(22_362);

    assertThat(first.userId()).isEqualTo("1");
    assertThat(first.itemIds()).containsExactly("1", "2", "3", "4", "5");
    assertThat(last.userId()).isEqualTo("22363");
    assertThat(last.itemIds()).startsWith("6466", "9744", "3025", "10607", "10487");
  }

  @Test
  void rejectsIdsOutsideTheCatalogue() {
    assertThatThrownBy(() -> catalog.features("0")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> catalog.features("12102"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> catalog.productGroup("B00X"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
