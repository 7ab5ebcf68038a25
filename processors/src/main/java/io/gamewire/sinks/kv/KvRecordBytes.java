package io.gamewire.sinks.kv;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * How {@link MvStoreKvStore} keeps a record on disk: the number of fields, then each field's name
 * and value, each as a 4-byte length and its UTF-8 bytes (big-endian).
 *
 * <p>Why not the map itself: H2's default value type writes a {@code HashMap} with Java
 * serialization, and MVStore, which writes whole pages copy-on-write, serializes every record of a
 * page each time one of them changes. A profile of the embedded stack end to end (2026-12-03) had
 * that serialization at 23 % of all of gamewire's CPU; these bytes are copied as they are.
 */
final class KvRecordBytes {

    private KvRecordBytes() {
    }

    static byte[] encode(Map<String, String> fields) {
        byte[][] parts = new byte[fields.size() * 2][];
        int size = Integer.BYTES;
        int i = 0;
        for (Map.Entry<String, String> field : fields.entrySet()) {
            parts[i] = field.getKey().getBytes(StandardCharsets.UTF_8);
            parts[i + 1] = field.getValue().getBytes(StandardCharsets.UTF_8);
            size += 2 * Integer.BYTES + parts[i].length + parts[i + 1].length;
            i += 2;
        }
        ByteBuffer out = ByteBuffer.allocate(size).putInt(fields.size());
        for (byte[] part : parts) {
            out.putInt(part.length).put(part);
        }
        return out.array();
    }

    /** @throws KvStoreException when the bytes are not a record (a damaged file) */
    static Map<String, String> decode(String key, byte[] bytes) {
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            int count = in.getInt();
            if (count < 0 || count > bytes.length / (2 * Integer.BYTES)) {
                throw new IllegalArgumentException(count + " fields in " + bytes.length + " bytes");
            }
            Map<String, String> fields = new HashMap<>(count * 2);
            for (int i = 0; i < count; i++) {
                fields.put(text(in), text(in));
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " bytes after the last field");
            }
            return fields;
        } catch (RuntimeException e) {
            throw new KvStoreException("the record of '" + key + "' in the embedded KV store is damaged: " + e, e);
        }
    }

    private static String text(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("a field of " + length + " bytes where " + in.remaining() + " are left");
        }
        String text = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return text;
    }
}
