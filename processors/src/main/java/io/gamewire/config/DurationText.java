package io.gamewire.config;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A length of time as gamewire writes it everywhere (settings, title files, the admin API's
 * {@code window}): a whole number of up to nine digits and a unit, {@code 500ms}, {@code 30s},
 * {@code 15m}, {@code 8h}, {@code 1d}, white space allowed between them. The one parser of that
 * text; each caller says which units it takes and keeps its own limits and wording around it.
 *
 * @param amount how many of the unit, 0 or more
 */
public record DurationText(long amount, Unit unit) {

    /** The units, each with how it is written. */
    public enum Unit {
        MILLISECONDS("ms"), SECONDS("s"), MINUTES("m"), HOURS("h"), DAYS("d");

        private final String written;

        Unit(String written) {
            this.written = written;
        }

        private static Unit of(String written) {
            for (Unit unit : values()) {
                if (unit.written.equals(written)) {
                    return unit;
                }
            }
            throw new IllegalArgumentException(written);
        }

        private ChronoUnit chrono() {
            return switch (this) {
                case MILLISECONDS -> ChronoUnit.MILLIS;
                case SECONDS -> ChronoUnit.SECONDS;
                case MINUTES -> ChronoUnit.MINUTES;
                case HOURS -> ChronoUnit.HOURS;
                case DAYS -> ChronoUnit.DAYS;
            };
        }
    }

    /** Every unit. */
    public static final Set<Unit> ANY_UNIT = Set.of(Unit.values());

    private static final Pattern FORM = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h|d)");

    /** The amount and unit of {@code text}; empty when it is not one, or its unit is not in {@code units}. */
    public static Optional<DurationText> parse(String text, Set<Unit> units) {
        Matcher form = text == null ? null : FORM.matcher(text);
        if (form == null || !form.matches()) {
            return Optional.empty();
        }
        Unit unit = Unit.of(form.group(2));
        return units.contains(unit) ? Optional.of(new DurationText(Long.parseLong(form.group(1)), unit))
                : Optional.empty();
    }

    public Duration duration() {
        return Duration.of(amount, unit.chrono());
    }
}
