package io.quasid.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.RocksDB;

class AbsentKeyFiltersTest {

  @Test
  void everyColumnFamilyGetsAWholeKeyFilterOnItsMemtable() {
    RocksDB.loadLibrary();
    try (ColumnFamilyOptions options =
        new AbsentKeyFilters().createColumnOptions(new ColumnFamilyOptions(), new ArrayList<>())) {
      assertThat(options.memtableWholeKeyFiltering()).isTrue();
      assertThat(options.memtablePrefixBloomSizeRatio())
          .isEqualTo(AbsentKeyFilters.MEMTABLE_FILTER_RATIO);
    }
  }
}
