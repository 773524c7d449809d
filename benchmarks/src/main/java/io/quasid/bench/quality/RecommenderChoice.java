package io.quasid.bench.quality;

import java.util.Arrays;
import java.util.Locale;

/**
 * Which recommenders score the SIDs: the proxy ({@link SidRecommender}, the default, what every
 * committed report used), the generative one ({@code generative.GenerativeRecommender}) or both.
 */
public enum RecommenderChoice {
  PROXY,
  GENERATIVE,
  BOTH;

  public boolean proxy() {
    return this != GENERATIVE;
  }

  public boolean generative() {
    return this != PROXY;
  }

  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  static RecommenderChoice byKey(String key) {
    return Arrays.stream(values())
        .filter(c -> c.key().equals(key))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "--recommender takes proxy, generative or both, not " + key));
  }
}
