package io.quasid.job;

import java.util.Collection;
import org.apache.flink.state.rocksdb.RocksDBOptionsFactory;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;

/**
 * RocksDB options for the job's state: a whole-key bloom filter on the memtable, beside the SST
 * files' bloom filter ({@code state.backend.rocksdb.use-bloom-filter}). Most state reads of the
 * item path look for keys that do not exist yet (a new item in the gate, the assigner and the
 * publisher; a new bucket in the allocator), and a profile of the streaming benchmark found
 * RocksDB's {@code get} the largest cost of every keyed operator. Without a memtable filter each
 * such read searches the memtable's skip list before the SST filters say no.
 */
public final class AbsentKeyFilters implements RocksDBOptionsFactory {

  private static final long serialVersionUID = 1L;

  /** Share of the write buffer given to the memtable's filter (RocksDB's suggested 10 %). */
  static final double MEMTABLE_FILTER_RATIO = 0.1;

  @Override
  public DBOptions createDBOptions(DBOptions current, Collection<AutoCloseable> handlesToClose) {
    return current;
  }

  @Override
  public ColumnFamilyOptions createColumnOptions(
      ColumnFamilyOptions current, Collection<AutoCloseable> handlesToClose) {
    return current
        .setMemtablePrefixBloomSizeRatio(MEMTABLE_FILTER_RATIO)
        .setMemtableWholeKeyFiltering(true);
  }
}
