package io.gamewire.protocol;

/**
 * The limits a GWP decoder enforces before it allocates anything. Defaults are named constants;
 * each configurable limit has the property that changes it, which error messages name.
 *
 * @param maxFrameBytes          largest frame body (the length field), bytes
 * @param maxAttributes          attributes per envelope
 * @param maxAttributeValueBytes bytes of one attribute value (UTF-8)
 */
public record GwpLimits(int maxFrameBytes, int maxAttributes, int maxAttributeValueBytes) {

    public static final int DEFAULT_MAX_FRAME_BYTES = 1024 * 1024;
    public static final int DEFAULT_MAX_ATTRIBUTES = 16;
    public static final int DEFAULT_MAX_ATTRIBUTE_VALUE_BYTES = 1024;

    /** Fixed by the protocol: attribute names are 1 to 64 bytes. */
    public static final int MAX_ATTRIBUTE_NAME_BYTES = 64;
    /** Fixed by the protocol: API keys in AUTH are 1 to 256 bytes. */
    public static final int MAX_API_KEY_BYTES = 256;
    /** Fixed by the protocol: client names in AUTH are 0 to 64 bytes. */
    public static final int MAX_CLIENT_NAME_BYTES = 64;
    /** Fixed by the protocol: ERROR texts are 0 to 1024 bytes. */
    public static final int MAX_ERROR_TEXT_BYTES = 1024;
    /** Fixed by the protocol: custom content types are 1 to 127 bytes. */
    public static final int MAX_CONTENT_TYPE_BYTES = 127;
    /** Hard ceiling of the frame limit: 16 MiB. */
    public static final int MAX_FRAME_BYTES_CEILING = 16 * 1024 * 1024;

    public static final String MAX_FRAME_BYTES_PROPERTY = "gamewire.gwp.max-frame-bytes";
    public static final String MAX_ATTRIBUTES_PROPERTY = "gamewire.gwp.max-attributes";
    public static final String MAX_ATTRIBUTE_VALUE_BYTES_PROPERTY = "gamewire.gwp.max-attribute-value-bytes";

    public static final GwpLimits DEFAULTS = new GwpLimits(DEFAULT_MAX_FRAME_BYTES, DEFAULT_MAX_ATTRIBUTES,
            DEFAULT_MAX_ATTRIBUTE_VALUE_BYTES);

    public GwpLimits {
        checkRange("maxFrameBytes", maxFrameBytes, EnvelopeCodec.HEADER_BYTES, MAX_FRAME_BYTES_CEILING);
        checkRange("maxAttributes", maxAttributes, 0, 255);
        checkRange("maxAttributeValueBytes", maxAttributeValueBytes, 0, 65535);
    }

    private static void checkRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be from " + min + " to " + max + ", was " + value);
        }
    }
}
