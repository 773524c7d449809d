package io.quasid.bench.quality.generative;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * A TIGER-style generative recommender over Semantic IDs: a small decoder-only transformer reads a
 * user's recent items as SID tokens ({@link SidVocabulary}: L codes and a dedup token per item,
 * after a BOS token) and writes the next item's tokens one by one; recommendations come from beam
 * search restricted to the catalogue's SIDs ({@link SidTrie}, {@link BeamSearch}).
 *
 * <p>Trained with teacher forcing on every item of the training windows ({@link TrainingWindows}):
 * the cross-entropy of each item token given all tokens before it (so each item is predicted from
 * its own history, as in next-item training at every position, in one pass per window). Not
 * thread-safe.
 */
public final class GenerativeRecommender implements AutoCloseable {

  private final GenerativeConfig config;
  private final SidVocabulary vocabulary;
  private final SidTrie trie;
  private final BeamSearch beamSearch;
  private final DecoderGraph graph;

  /**
   * @param codes {@code [items][levels]}, codes in {@code [0, codebookSize)}
   * @param seed initial weights
   */
  public GenerativeRecommender(
      int[][] codes, int codebookSize, GenerativeConfig config, long seed) {
    this.config = config;
    this.vocabulary = new SidVocabulary(codes, codebookSize);
    this.trie = new SidTrie(vocabulary);
    this.beamSearch = new BeamSearch(trie, config.beamWidth(), config.topK());
    this.graph =
        new DecoderGraph(
            config, vocabulary.size(), config.maxPositions(vocabulary.tokensPerItem()), seed);
  }

  public long parameterCount() {
    return graph.parameterCount();
  }

  /**
   * One pass over {@code windows} in batches of similar length, one Adam step per batch.
   *
   * @return the mean cross-entropy per target token over the epoch (each batch's before its step)
   */
  public double trainEpoch(TrainingWindows windows, Random random) {
    double sum = 0;
    long count = 0;
    for (List<TrainingWindows.Window> batch : windows.batches(config.batchSize(), random)) {
      TokenBatch tokens = TokenBatch.forTraining(vocabulary, trie, items(batch), targetFrom(batch));
      sum += (double) graph.train(tokens) * tokens.targets().length;
      count += tokens.targets().length;
    }
    return sum / count;
  }

  /** The training windows of {@code sequences} for this model's history length. */
  public TrainingWindows windows(int[][] sequences) {
    return new TrainingWindows(sequences, config.historyItems());
  }

  /**
   * Teacher-forced mean cross-entropy per token of each {@code targets[u]} after the last items of
   * {@code histories[u]}: a validation loss that needs no decoding.
   */
  public double loss(int[][] histories, int[] targets) {
    double sum = 0;
    long count = 0;
    for (int from = 0; from < histories.length; from += config.batchSize()) {
      int to = Math.min(histories.length, from + config.batchSize());
      int[][] items = new int[to - from][];
      int[] targetFrom = new int[to - from];
      for (int u = from; u < to; u++) {
        int[] h = recent(histories[u]);
        items[u - from] = Arrays.copyOf(h, h.length + 1);
        items[u - from][h.length] = targets[u];
        targetFrom[u - from] = h.length;
      }
      TokenBatch batch = TokenBatch.forTraining(vocabulary, trie, items, targetFrom);
      sum += (double) graph.loss(batch) * batch.targets().length;
      count += batch.targets().length;
    }
    return sum / count;
  }

  /**
   * The top-K items for each user after the last items of its history, by trie-constrained beam
   * search. Users are decoded {@link GenerativeConfig#decodeUsers()} at a time, grouped by history
   * length so that a prefill pads little: one prefill and one graph call per decoding step each.
   */
  public List<RankedItems> recommend(int[][] histories) {
    Integer[] order = IntStream.range(0, histories.length).boxed().toArray(Integer[]::new);
    Arrays.sort(
        order, Comparator.comparingInt(u -> Math.min(histories[u].length, config.historyItems())));
    RankedItems[] out = new RankedItems[histories.length];
    for (int from = 0; from < order.length; from += config.decodeUsers()) {
      int to = Math.min(order.length, from + config.decodeUsers());
      int[][] chunk = new int[to - from][];
      for (int i = from; i < to; i++) {
        chunk[i - from] = recent(histories[order[i]]);
      }
      List<RankedItems> ranked;
      try (DecoderGraph.Prefill prefill =
          graph.prefill(TokenBatch.forDecoding(vocabulary, chunk))) {
        ranked =
            beamSearch.search(
                (users, prefixes) ->
                    prefixes[0].length == 0
                        ? Arrays.stream(users).mapToObj(prefill::logits).toArray(float[][]::new)
                        : graph.step(prefill, users, prefixes),
                chunk.length);
      }
      for (int i = from; i < to; i++) {
        out[order[i]] = ranked.get(i - from);
      }
    }
    return List.of(out);
  }

  private int[] recent(int[] history) {
    return Arrays.copyOfRange(
        history, Math.max(0, history.length - config.historyItems()), history.length);
  }

  private static int[][] items(List<TrainingWindows.Window> batch) {
    return batch.stream().map(TrainingWindows.Window::items).toArray(int[][]::new);
  }

  private static int[] targetFrom(List<TrainingWindows.Window> batch) {
    return batch.stream().mapToInt(TrainingWindows.Window::targetFrom).toArray();
  }

  @Override
  public void close() {
    graph.close();
  }
}
