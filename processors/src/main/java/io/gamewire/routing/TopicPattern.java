package io.gamewire.routing;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A binding pattern of a topic exchange, as RabbitMQ and the embedded broker read it: words
 * separated by dots, {@code *} one word, {@code #} zero or more words. The stats, the tail and the
 * consoles take one from the operator; {@link #parse} refuses what a broker would not bind with a
 * message naming the word, so a typo is an error and not a tail that never shows anything.
 */
public final class TopicPattern {

    /** The longest pattern accepted: a routing key's length ({@code RoutingKey.MAX_LENGTH}) with room. */
    public static final int MAX_LENGTH = 255;

    private static final Pattern WORD = Pattern.compile("[a-z0-9_-]{1,32}|\\*|#");

    private final String text;
    private final List<String> words;

    private TopicPattern(String text) {
        this.text = text;
        this.words = List.of(text.split("\\.", -1));
    }

    /** The pattern {@code #}: every routing key. */
    public static TopicPattern all() {
        return new TopicPattern("#");
    }

    /**
     * @throws IllegalArgumentException naming what is wrong: empty, too long, an empty word or a
     *         word that is neither a routing-key word ({@code [a-z0-9_-]}, at most 32) nor * or #
     */
    public static TopicPattern parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("pattern is empty: give words separated by dots,"
                    + " * for one word, # for any number (e.g. halo.prod.#)");
        }
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("pattern is " + text.length() + " characters long, the limit is "
                    + MAX_LENGTH);
        }
        String[] words = text.split("\\.", -1);
        for (int i = 0; i < words.length; i++) {
            if (!WORD.matcher(words[i]).matches()) {
                throw new IllegalArgumentException("pattern '" + text + "': word " + (i + 1) + " '" + words[i]
                        + "' is not a word of [a-z0-9_-] (at most 32 characters), * or #");
            }
        }
        return new TopicPattern(text);
    }

    /** Whether a message with this routing key reaches a queue bound with this pattern. */
    public boolean matches(String routingKey) {
        if (text.equals("#")) {
            return true; // the bus listener asks this of every message
        }
        return matches(words, 0, routingKey.split("\\.", -1), 0);
    }

    private static boolean matches(List<String> pattern, int p, String[] key, int k) {
        if (p == pattern.size()) {
            return k == key.length;
        }
        String word = pattern.get(p);
        if (word.equals("#")) {
            // # takes zero words, or one more and stays
            return matches(pattern, p + 1, key, k) || (k < key.length && matches(pattern, p, key, k + 1));
        }
        return k < key.length && (word.equals("*") || word.equals(key[k])) && matches(pattern, p + 1, key, k + 1);
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TopicPattern that && text.equals(that.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
