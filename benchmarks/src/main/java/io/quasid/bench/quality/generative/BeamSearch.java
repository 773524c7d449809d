package io.quasid.bench.quality.generative;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Beam search over the catalogue's SID trie. At each of the {@code L + 1} steps a beam may only
 * take a token that continues a valid prefix: the model's logits are restricted to those tokens and
 * renormalised over them (a log-softmax over the valid tokens only), so a step with one valid token
 * costs no model call and adds 0. All users' beams that need logits go to the model in one call per
 * step. Every finished beam is a distinct leaf, hence a distinct catalogue item.
 */
public final class BeamSearch {

  private final SidTrie trie;
  private final int beamWidth;
  private final int topK;

  public BeamSearch(SidTrie trie, int beamWidth, int topK) {
    if (beamWidth < 1 || topK < 1 || topK > beamWidth) {
      throw new IllegalArgumentException("need 1 <= topK <= beamWidth");
    }
    this.trie = trie;
    this.beamWidth = beamWidth;
    this.topK = topK;
  }

  /** A partial sequence: its trie node, its tokens and their summed log-probability. */
  private record Beam(int node, int[] tokens, double score) {}

  /** The top-K items for each of {@code users} users, asking {@code model} once per step. */
  public List<RankedItems> search(NextTokenLogits model, int users) {
    List<List<Beam>> beams = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      beams.add(List.of(new Beam(trie.root(), new int[0], 0)));
    }
    for (int step = 0; step < trie.depth(); step++) {
      float[][] logits = scoreBranchingBeams(model, beams);
      int row = 0;
      for (int u = 0; u < users; u++) {
        List<Beam> candidates = new ArrayList<>();
        for (Beam beam : beams.get(u)) {
          int[] next = trie.nextTokens(beam.node());
          double[] logProbs = next.length == 1 ? new double[] {0} : logSoftmax(logits[row++], next);
          for (int c = 0; c < next.length; c++) {
            int[] tokens = Arrays.copyOf(beam.tokens(), step + 1);
            tokens[step] = next[c];
            candidates.add(
                new Beam(trie.childAt(beam.node(), c), tokens, beam.score() + logProbs[c]));
          }
        }
        // Stable sort: among equal scores the earlier beam and the smaller token win, so the
        // result does not depend on anything but the logits.
        candidates.sort(Comparator.comparingDouble(Beam::score).reversed());
        beams.set(u, List.copyOf(candidates.subList(0, Math.min(beamWidth, candidates.size()))));
      }
    }
    List<RankedItems> out = new ArrayList<>(users);
    for (List<Beam> finished : beams) {
      int k = Math.min(topK, finished.size());
      int[] items = new int[k];
      double[] scores = new double[k];
      for (int r = 0; r < k; r++) {
        items[r] = trie.item(finished.get(r).node());
        scores[r] = finished.get(r).score();
      }
      out.add(new RankedItems(items, scores));
    }
    return out;
  }

  /** Logits for every beam with more than one valid next token, in user then beam order. */
  private float[][] scoreBranchingBeams(NextTokenLogits model, List<List<Beam>> beams) {
    List<Integer> users = new ArrayList<>();
    List<int[]> prefixes = new ArrayList<>();
    for (int u = 0; u < beams.size(); u++) {
      for (Beam beam : beams.get(u)) {
        if (trie.nextTokens(beam.node()).length > 1) {
          users.add(u);
          prefixes.add(beam.tokens());
        }
      }
    }
    if (users.isEmpty()) {
      return new float[0][];
    }
    return model.logits(
        users.stream().mapToInt(Integer::intValue).toArray(), prefixes.toArray(int[][]::new));
  }

  /** {@code log softmax} of {@code logits} restricted to {@code tokens}. */
  static double[] logSoftmax(float[] logits, int[] tokens) {
    double max = Double.NEGATIVE_INFINITY;
    for (int t : tokens) {
      max = Math.max(max, logits[t]);
    }
    double sum = 0;
    for (int t : tokens) {
      sum += Math.exp(logits[t] - max);
    }
    double logZ = max + Math.log(sum);
    double[] out = new double[tokens.length];
    for (int c = 0; c < tokens.length; c++) {
      out[c] = logits[tokens[c]] - logZ;
    }
    return out;
  }
}
