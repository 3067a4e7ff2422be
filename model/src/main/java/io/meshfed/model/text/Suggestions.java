package io.meshfed.model.text;

import java.util.Collection;

/** "did you mean" for misspelt keys, by edit distance. */
public final class Suggestions {

    private Suggestions() {
    }

    /** {@code " (did you mean 'x'?)"}, or empty when nothing is close. */
    public static String didYouMean(String word, Collection<String> candidates) {
        String best = closest(word, candidates);
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    /** The closest candidate within a third of the word's length (at least 2 edits), or null. */
    public static String closest(String word, Collection<String> candidates) {
        return closest(word, candidates, Math.max(2, word.length() / 3));
    }

    /** The closest candidate at most {@code maxDistance} edits away, or null. */
    public static String closest(String word, Collection<String> candidates, int maxDistance) {
        String best = null;
        int bestDistance = maxDistance + 1;
        for (String candidate : candidates) {
            int d = distance(word.toLowerCase(), candidate.toLowerCase());
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Damerau-Levenshtein (optimal string alignment) distance. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
