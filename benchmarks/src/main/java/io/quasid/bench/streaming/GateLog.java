package io.quasid.bench.streaming;

import io.quasid.job.training.TokenizerTrainer;
import java.util.Map;
import java.util.TreeMap;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Counts the trainer's quality-gate decisions from its log lines ("Published version ..." and
 * "Candidate at step ... rejected on CRITERION: ..."): the harness's metric group does not keep the
 * trainer's counters, and the log names the criterion that failed. Installed once; the trainer
 * logger then writes only here, so the run's console stays readable.
 */
final class GateLog extends AbstractAppender {

  private static GateLog installed;

  private final Map<String, Integer> rejections = new TreeMap<>();
  private int published;

  private GateLog() {
    super("growth-gate-log", null, null, true, Property.EMPTY_ARRAY);
  }

  static synchronized GateLog install() {
    if (installed == null) {
      GateLog log = new GateLog();
      log.start();
      LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
      Configuration config = ctx.getConfiguration();
      config.addAppender(log);
      LoggerConfig trainer = new LoggerConfig(TokenizerTrainer.class.getName(), Level.INFO, false);
      trainer.addAppender(log, Level.INFO, null);
      config.addLogger(TokenizerTrainer.class.getName(), trainer);
      ctx.updateLoggers();
      installed = log;
    }
    return installed;
  }

  @Override
  public synchronized void append(LogEvent event) {
    String message = event.getMessage().getFormat();
    Object[] params = event.getMessage().getParameters();
    if (message == null || params == null) {
      return;
    }
    if (message.startsWith("Published version")) {
      published++;
    } else if (message.startsWith("Candidate at step") && params.length >= 2) {
      rejections.merge(String.valueOf(params[1]), 1, Integer::sum);
    }
  }

  /** Decisions since the last reset: published count and rejections per criterion. */
  synchronized Decisions takeAndReset() {
    Decisions d = new Decisions(published, new TreeMap<>(rejections));
    published = 0;
    rejections.clear();
    return d;
  }

  record Decisions(int published, Map<String, Integer> rejections) {
    int rejected() {
      return rejections.values().stream().mapToInt(Integer::intValue).sum();
    }
  }
}
