package io.gamewire.protocol;

import java.util.Locale;
import java.util.Map;

/**
 * The one-byte content-type codes of GWP v1. Code 0 means a custom media type follows as text;
 * every other defined code stands for one common media type, so the usual payloads cost one byte.
 * And what gamewire reads a content type to say: whether the payload is JSON, or text.
 */
public final class ContentTypes {

    public static final int CUSTOM = 0;

    private static final String[] BY_CODE = {
        null,
        "application/json",
        "application/octet-stream",
        "text/plain; charset=utf-8",
        "application/x-protobuf",
        "application/msgpack",
        "application/cbor",
    };

    private static final Map<String, Integer> CODES = Map.of(
            "application/json", 1,
            "application/octet-stream", 2,
            "text/plain; charset=utf-8", 3,
            "application/x-protobuf", 4,
            "application/msgpack", 5,
            "application/cbor", 6);

    private ContentTypes() {
    }

    /** The code of {@code contentType}, or {@link #CUSTOM} when it has none. */
    public static int codeOf(String contentType) {
        Integer code = CODES.get(contentType);
        return code == null ? CUSTOM : code;
    }

    /** The media type of a code other than {@link #CUSTOM}, or null when the code is undefined. */
    public static String ofCode(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** The highest defined code. */
    public static int maxCode() {
        return BY_CODE.length - 1;
    }

    /**
     * Whether a payload of this content type is JSON: {@code application/json} and
     * {@code application/*+json}, parameters and case ignored. Admission checks such a payload as
     * JSON, and every view of a payload shows it as JSON.
     */
    public static boolean isJson(String contentType) {
        String mediaType = mediaType(contentType);
        return mediaType.equals("application/json")
                || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
    }

    /** Whether a payload of this content type is text: JSON ({@link #isJson}) or {@code text/*}. */
    public static boolean isText(String contentType) {
        return isJson(contentType) || mediaType(contentType).startsWith("text/");
    }

    /** The media type without parameters, in lower case; empty for none. */
    private static String mediaType(String contentType) {
        return contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    }
}
