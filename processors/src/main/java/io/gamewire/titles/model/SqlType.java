package io.gamewire.titles.model;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The column types a title may declare: the ones that mean the same on MySQL/MariaDB and H2 in
 * MySQL mode. {@code length} is only used by {@code varchar}.
 */
public record SqlType(Base base, int length) {

    public enum Base {
        VARCHAR, TEXT, INT, BIGINT, DOUBLE, BOOLEAN
    }

    public static final int MAX_VARCHAR = 4096;
    private static final Pattern VARCHAR = Pattern.compile("varchar\\((\\d{1,4})\\)");

    /** Parses {@code varchar(64)}, {@code text}, {@code int}, {@code bigint}, {@code double}, {@code boolean}. */
    public static Optional<SqlType> parse(String text) {
        String lower = text.trim().toLowerCase(Locale.ROOT);
        Matcher varchar = VARCHAR.matcher(lower);
        if (varchar.matches()) {
            int length = Integer.parseInt(varchar.group(1));
            return length >= 1 && length <= MAX_VARCHAR ? Optional.of(new SqlType(Base.VARCHAR, length)) : Optional.empty();
        }
        for (Base base : Base.values()) {
            if (base != Base.VARCHAR && base.name().toLowerCase(Locale.ROOT).equals(lower)) {
                return Optional.of(new SqlType(base, 0));
            }
        }
        return Optional.empty();
    }

    /**
     * A JSON value as this type's Java value, the one JDBC binds: String, Long, Double or Boolean;
     * null for a missing value. A number becomes text for a {@code varchar}, but text never becomes a
     * number, so what a column holds is what the payload said.
     *
     * @throws IllegalArgumentException when the value is of a kind this type cannot take
     */
    public Object value(com.fasterxml.jackson.databind.JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        boolean fits = switch (base) {
            case VARCHAR, TEXT -> true;
            case INT, BIGINT -> value.isIntegralNumber() && value.canConvertToLong();
            case DOUBLE -> value.isNumber();
            case BOOLEAN -> value.isBoolean();
        };
        if (!fits) {
            throw new IllegalArgumentException("column type " + this + " cannot take " + value);
        }
        return switch (base) {
            case VARCHAR, TEXT -> value.isValueNode() ? value.asText() : value.toString();
            case INT, BIGINT -> value.asLong();
            case DOUBLE -> value.asDouble();
            case BOOLEAN -> value.asBoolean();
        };
    }

    /** The JSON type a query answers this column's values as (its schema type name). */
    public String jsonType() {
        return switch (base) {
            case VARCHAR, TEXT -> "string";
            case INT, BIGINT -> "integer";
            case DOUBLE -> "number";
            case BOOLEAN -> "boolean";
        };
    }

    /** The type in DDL, the same text on MySQL and H2. */
    public String ddl() {
        return base == Base.VARCHAR ? "VARCHAR(" + length + ")" : base.name();
    }

    @Override
    public String toString() {
        return ddl().toLowerCase(Locale.ROOT);
    }
}
