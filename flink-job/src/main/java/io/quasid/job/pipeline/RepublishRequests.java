package io.quasid.job.pipeline;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * The source of {@link AssignmentPublisher}'s republish requests: the configured token, first sent
 * once the run's first checkpoint completed (see {@link AfterFirstCheckpoint}), then repeated once
 * an hour (the publisher acts on a token once). Unbounded on purpose: a bounded source that
 * finishes at startup declines the first checkpoints while it closes, and a job without it could
 * not restore a savepoint taken with it.
 */
public final class RepublishRequests {

  private RepublishRequests() {}

  public static DataGeneratorSource<String> source(String token) {
    return new DataGeneratorSource<>(
        new Repeat(token),
        Long.MAX_VALUE,
        AfterFirstCheckpoint.perSecond(1.0 / 3600),
        Types.STRING);
  }

  private static final class Repeat implements GeneratorFunction<Long, String> {
    private final String token;

    Repeat(String token) {
      this.token = token;
    }

    @Override
    public String map(Long index) {
      return token;
    }
  }
}
