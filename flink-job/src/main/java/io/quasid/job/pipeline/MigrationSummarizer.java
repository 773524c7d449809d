package io.quasid.job.pipeline;

import io.quasid.schemas.MigrationOutcome;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds up the assigner subtasks' {@link MigrationPart}s per model version and emits one {@link
 * MigrationTotals} when the version's reports cover every key group. Runs at parallelism 1.
 *
 * <p>Completion is counted in key groups, not subtasks, so a restore at another parallelism (whose
 * subtasks own other key-group ranges) neither completes a version early nor leaves it open: the
 * key groups a subtask reported done before the checkpoint were swept in the state it restores.
 * Every subtask resumes an unfinished sweep after a restore and reports again; a key group reported
 * twice counts once. A version whose reports stop because a newer one went live (a restore can drop
 * a superseded sweep without a report) is closed as SUPERSEDED when a newer version is summarised;
 * reports for versions already summarised are counted and ignored.
 */
public class MigrationSummarizer extends ProcessFunction<MigrationPart, MigrationTotals>
    implements CheckpointedFunction {

  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(MigrationSummarizer.class);

  private transient ListState<Pending> pendingState;
  private transient ListState<Long> summarisedState;
  private transient TreeMap<Long, Pending> pending;
  private transient long highestSummarised;
  private transient Counter published;
  private transient Counter lateReports;

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    pendingState =
        context
            .getOperatorStateStore()
            .getListState(
                new ListStateDescriptor<>("pending-migrations", TypeInformation.of(Pending.class)));
    summarisedState =
        context
            .getOperatorStateStore()
            .getListState(new ListStateDescriptor<>("highest-summarised-version", Types.LONG));
    pending = new TreeMap<>();
    for (Pending p : pendingState.get()) {
      pending.put(p.totals.modelVersion, p);
    }
    highestSummarised = -1;
    for (Long v : summarisedState.get()) {
      highestSummarised = Math.max(highestSummarised, v);
    }
  }

  @Override
  public void open(OpenContext ctx) {
    published = getRuntimeContext().getMetricGroup().counter("migrationsPublished");
    lateReports = getRuntimeContext().getMetricGroup().counter("lateMigrationReports");
    getRuntimeContext().getMetricGroup().gauge("migrationsPending", () -> pending.size());
  }

  @Override
  public void processElement(MigrationPart part, Context ctx, Collector<MigrationTotals> out) {
    if (part.modelVersion <= highestSummarised) {
      lateReports.inc();
      LOG.debug("Ignoring {}: v{} is already summarised", part, highestSummarised);
      return;
    }
    Pending p = pending.computeIfAbsent(part.modelVersion, v -> new Pending(part));
    p.totals.add(part);
    if (part.kind == MigrationPart.Kind.PROGRESS) {
      return;
    }
    p.superseded |= part.kind == MigrationPart.Kind.SUPERSEDED;
    p.swept |= part.kind != MigrationPart.Kind.NOT_SWEPT;
    BitSet done = BitSet.valueOf(p.doneKeyGroups);
    done.set(part.firstKeyGroup, part.lastKeyGroup + 1);
    p.doneKeyGroups = done.toLongArray();
    if (done.cardinality() < part.maxParallelism) {
      return;
    }
    long now = ctx.timerService().currentProcessingTime();
    // Older versions still open can no longer finish: their sweeps were dropped for this one's.
    Iterator<Pending> older = pending.headMap(part.modelVersion, true).values().iterator();
    while (older.hasNext()) {
      Pending o = older.next();
      older.remove();
      o.totals.outcome =
          o != p || o.superseded
              ? MigrationOutcome.SUPERSEDED
              : o.swept ? MigrationOutcome.COMPLETED : MigrationOutcome.NOT_SWEPT;
      o.totals.summarisedAt = now;
      LOG.info("Model v{} migration: {}", o.totals.modelVersion, o.totals);
      published.inc();
      out.collect(o.totals);
    }
    highestSummarised = part.modelVersion;
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    pendingState.update(new ArrayList<>(pending.values()));
    summarisedState.update(List.of(highestSummarised));
  }

  /** A version's totals so far and the key groups whose subtask has reported its end. */
  public static class Pending {
    public MigrationTotals totals;
    public long[] doneKeyGroups;
    public boolean superseded;
    public boolean swept;

    public Pending() {}

    Pending(MigrationPart first) {
      totals = new MigrationTotals(first);
      doneKeyGroups = new long[0];
    }
  }
}
