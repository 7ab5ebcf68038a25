package io.gamewire.pulls;

import io.gamewire.titles.model.PullDefinition.WatermarkKind;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Orders watermark values as the title file's {@code watermark.kind} says. Text order would put
 * {@code "9"} after {@code "10"} and {@code 2024-05-01T10:00:00+02:00} after
 * {@code 2024-05-01T09:00:00Z}, so: timestamps as instants when both parse as ISO-8601, numbers
 * (epoch seconds or ids) as numbers when both are numbers, anything else as text.
 */
final class Watermarks {

    private Watermarks() {
    }

    /** The later of two values; either may be null. */
    static String max(WatermarkKind kind, String a, String b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return compare(kind, a, b) >= 0 ? a : b;
    }

    static int compare(WatermarkKind kind, String a, String b) {
        if (kind == WatermarkKind.TIMESTAMP) {
            Instant ia = instant(a);
            Instant ib = instant(b);
            if (ia != null && ib != null) {
                return ia.compareTo(ib);
            }
        }
        BigDecimal na = number(a);
        BigDecimal nb = number(b);
        if (na != null && nb != null) {
            return na.compareTo(nb);
        }
        return a.compareTo(b);
    }

    /** An ISO-8601 instant, date-time with offset, date-time (read as UTC) or date; else null. */
    static Instant instant(String text) {
        if (text.length() < 10 || !Character.isDigit(text.charAt(0))) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notWithOffset) {
            // try the forms without an offset
        }
        try {
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException notLocal) {
            // try a date alone
        }
        try {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException notADate) {
            return null;
        }
    }

    private static BigDecimal number(String text) {
        if (text.isEmpty() || text.length() > 100) {
            return null;
        }
        char first = text.charAt(0);
        if (!(Character.isDigit(first) || first == '-' || first == '+' || first == '.')) {
            return null;
        }
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }
}
