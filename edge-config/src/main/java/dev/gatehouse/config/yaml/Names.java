package dev.gatehouse.config.yaml;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** "Did you mean" suggestions for misspelt field and label names. */
public final class Names {
  private Names() {}

  /** The candidate within edit distance 2 of the word, if exactly one is closest. */
  public static String closest(String word, List<String> candidates) {
    String best = null;
    int bestDistance = 3;
    Map<Integer, Integer> ties = new HashMap<>();
    for (String candidate : candidates) {
      int distance =
          editDistance(word.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
      ties.merge(distance, 1, Integer::sum);
      if (distance < bestDistance) {
        bestDistance = distance;
        best = candidate;
      }
    }
    return best != null && ties.get(bestDistance) == 1 ? best : null;
  }

  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
