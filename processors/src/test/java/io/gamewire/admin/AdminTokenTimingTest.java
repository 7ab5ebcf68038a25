package io.gamewire.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * A timing probe of {@link AdminToken}: wrong tokens of one length take the same time whether they
 * match the token up to the last byte or not at all, and whether or not their length is the
 * token's. The token is 1 MiB, so that a comparison that stops at the first differing byte would
 * differ by tens of microseconds, far above the noise of a shared machine; the probe is first shown
 * to find exactly that leak in a comparison that has it ({@link String#equals}), so a pass means
 * something.
 *
 * <p>Each case is timed in many rounds, interleaved with the other case, and the fastest round of
 * each is compared: the fastest round is the one least disturbed by the machine, and the
 * interleaving gives both cases the same disturbances.
 */
class AdminTokenTimingTest {

    private static final int MIB = 1 << 20;
    private static final int ROUNDS = 150;

    private static final String TOKEN = token('a', MIB);
    /** Matches the token in every byte but the last. */
    private static final String ALL_BUT_LAST = TOKEN.substring(0, MIB - 1) + 'b';
    /** Differs from the token in its first byte. */
    private static final String NONE = 'b' + TOKEN.substring(1);
    /** One byte longer than the token, which it starts with. */
    private static final String LONGER = TOKEN.substring(0, MIB - 1) + "ab";

    @Test
    void theProbeFindsTheLeakOfAComparisonThatStopsAtTheFirstDifference() {
        Predicate<String> leaky = TOKEN::equals;

        assertThat(fastestRatio(leaky, ALL_BUT_LAST, NONE))
                .as("a matching prefix of 1 MiB costs String.equals far more than a first byte that differs")
                .isGreaterThan(3.0);
    }

    @Test
    void wrongTokensTakeTheSameTimeHowEverMuchOfTheTokenTheyMatch() {
        AdminToken token = new AdminToken(TOKEN);

        assertThat(fastestRatio(token::matches, ALL_BUT_LAST, NONE)).isBetween(0.8, 1.25);
    }

    @Test
    void aWrongLengthTakesTheTimeOfHashingWhatWasSentNotLessThanTheRightLength() {
        AdminToken token = new AdminToken(TOKEN);

        // one byte more to hash in 1 MiB: any early "wrong length" answer would be far faster
        assertThat(fastestRatio(token::matches, LONGER, ALL_BUT_LAST)).isBetween(0.8, 1.25);
    }

    /** The fastest time of {@code a} divided by the fastest time of {@code b}, rounds interleaved. */
    private static double fastestRatio(Predicate<String> compare, String a, String b) {
        long fastestA = Long.MAX_VALUE;
        long fastestB = Long.MAX_VALUE;
        for (int round = 0; round < ROUNDS; round++) {
            fastestA = Math.min(fastestA, time(compare, a));
            fastestB = Math.min(fastestB, time(compare, b));
        }
        return (double) Math.max(fastestA, 1) / Math.max(fastestB, 1);
    }

    private static long time(Predicate<String> compare, String presented) {
        long start = System.nanoTime();
        boolean matched = compare.test(presented);
        long took = System.nanoTime() - start;
        assertThat(matched).as("every probe is a wrong token").isFalse();
        return took;
    }

    private static String token(char c, int length) {
        char[] chars = new char[length];
        Arrays.fill(chars, c);
        return new String(chars);
    }
}
