package io.quasid.bench.quality;

import io.quasid.bench.BenchmarkCommandLine;
import io.quasid.bench.quality.generative.GenerativeConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command-line options of {@link QualityBenchmark}, made by {@link QualityFlags}. The defaults are
 * the grid issue 13 asks for (Beauty and Scientific, 3 and 4 levels, 5 tokenizer seeds x 3
 * recommender seeds, 5 % cold-start items, 1000 bootstrap resamples); {@code --quick} shrinks every
 * budget for a smoke run whose numbers are not meant to be read.
 *
 * @param dataDir Beauty data ({@code null} when Beauty is not run and none was found)
 * @param scientificDir Scientific data ({@code null} when Scientific is not run and none was found)
 * @param settings {@code dataset:levels} pairs to run, in order; by default every dataset at every
 *     level count
 * @param seeds recommender seeds per tokenizer
 * @param tokenizerSeeds independent tokenizer trainings per variant (seeds 42, 43, ...)
 * @param tokenizer the tokenizer budget; its levels are the first of {@code levels}
 * @param coldStart share of items held out of training as cold-start items (0: none)
 * @param bootstrap resamples of the paired bootstrap
 * @param recommenders the proxy recommender, the generative one or both
 * @param generative size and budget of the generative recommender (used when it runs)
 */
public record BenchmarkOptions(
    Path dataDir,
    Path scientificDir,
    Path outDir,
    boolean quick,
    boolean tune,
    List<String> datasets,
    List<Integer> levels,
    List<String> settings,
    int seeds,
    int tokenizerSeeds,
    int threads,
    double coldStart,
    int bootstrap,
    List<TokenizerVariant> variants,
    TokenizerBudget tokenizer,
    RecommenderConfig recommender,
    List<String> publishedVariants,
    RecommenderChoice recommenders,
    GenerativeConfig generative) {

  public static final String BEAUTY = "beauty";
  public static final String SCIENTIFIC = "scientific";

  /** Scientific with the job's sentence encoder's features instead of TF-IDF + SVD. */
  public static final String SCIENTIFIC_SENTENCE = "scientific-minilm";

  /**
   * The options {@code args} give.
   *
   * @throws IllegalArgumentException for an unknown flag, a missing or refused value, or {@code
   *     --help} (the message is the usage)
   */
  public static BenchmarkOptions parse(String[] args) {
    return BenchmarkCommandLine.settings(new QualityFlags(), args);
  }

  /** The tokenizer budget at {@code levels} levels. */
  public TokenizerBudget tokenizer(int levels) {
    TokenizerBudget t = tokenizer;
    return new TokenizerBudget(
        t.steps(),
        t.batchSize(),
        t.learningRate(),
        levels,
        t.codebookSize(),
        t.evalEvery(),
        t.seed(),
        t.recipe());
  }

  /** The level counts to run on {@code dataset}, in order. */
  public List<Integer> levelsFor(String dataset) {
    return settings.stream()
        .filter(x -> x.startsWith(dataset + ":"))
        .map(x -> Integer.parseInt(x.substring(dataset.length() + 1)))
        .toList();
  }

  /** The flags that reproduce this run, for the report. */
  public String describe() {
    List<String> f = new ArrayList<>();
    if (quick) {
      f.add("--quick");
    }
    List<String> cross = new ArrayList<>();
    for (String d : datasets) {
      for (int l : levels) {
        cross.add(d + ":" + l);
      }
    }
    if (cross.equals(settings)) {
      f.add("--datasets " + String.join(",", datasets));
      f.add("--levels " + String.join(",", levels.stream().map(String::valueOf).toList()));
    } else {
      f.add("--settings " + String.join(",", settings));
    }
    f.add("--tokenizer-seeds " + tokenizerSeeds);
    if (tokenizer.steps() != (quick ? 20 : 2000)) {
      f.add("--tokenizer-steps " + tokenizer.steps());
    }
    if (tokenizer.batchSize() != 256) {
      f.add("--tokenizer-batch " + tokenizer.batchSize());
    }
    if (tokenizer.learningRate() != 1e-3f) {
      f.add("--tokenizer-lr " + tokenizer.learningRate());
    }
    if (tokenizer.evalEvery() != (quick ? 10 : 100)) {
      f.add("--eval-every " + tokenizer.evalEvery());
    }
    f.addAll(tokenizer.recipe().flags());
    f.add("--seeds " + seeds);
    f.add("--cold-start " + coldStart);
    f.add("--bootstrap " + bootstrap);
    f.add("--threads " + threads);
    if (!variants.equals(TokenizerVariant.DEFAULT)) {
      f.add("--variants " + QualityFlags.keys(variants));
    }
    if (recommenders.generative()) {
      f.add("--recommender " + recommenders.key());
      f.add("--gen-epochs " + generative.epochs());
      f.add("--gen-batch " + generative.batchSize());
      f.add("--gen-history " + generative.historyItems());
      f.add("--gen-beam " + generative.beamWidth());
      f.add("--gen-lr " + generative.learningRate());
      f.add("--gen-users " + generative.users());
    }
    return String.join(" ", f);
  }
}
