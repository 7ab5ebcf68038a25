package io.gamewire.pulls;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Set;

/**
 * {@code body.format: ndjson}: one JSON value per line, read line by line as the body streams in,
 * so an export of millions of lines never sits in memory. Blank lines are skipped; a line may end
 * in CRLF. The last line may lack its newline when it is complete JSON; one that is not is a line
 * cut in half (the connection dropped mid-line) and fails the page.
 */
final class NdjsonPageReader implements PageReader {

    private static final Set<String> TYPES = Set.of("application/x-ndjson", "application/ndjson",
            "application/jsonl", "application/x-jsonlines", "application/jsonlines", "application/x-jsonl");

    private final ObjectReader lines;
    /** A longer line is refused rather than buffered: it is one document ({@code limits.max-document-bytes}). */
    private final int maxLineBytes;

    NdjsonPageReader(ObjectMapper mapper, int maxLineBytes) {
        // one value per line: "{...} {...}" on one line is an error, not two items
        this.lines = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.maxLineBytes = maxLineBytes;
    }

    @Override
    public String expectedContentType() {
        return "application/x-ndjson";
    }

    @Override
    public boolean accepts(String mediaType) {
        return TYPES.contains(mediaType);
    }

    @Override
    public JsonNode read(InputStream body, ItemHandler handler) throws PageFormatException, PullFailedException {
        byte[] chunk = new byte[64 * 1024];
        byte[] line = new byte[8 * 1024];
        int lineLength = 0;
        long lineNumber = 1;
        long lineStart = 0;
        long offset = 0;
        long index = 0;
        try {
            int read;
            while ((read = body.read(chunk)) >= 0) {
                int from = 0;
                for (int i = 0; i < read; i++) {
                    if (chunk[i] != '\n') {
                        continue;
                    }
                    line = append(line, lineLength, chunk, from, i - from, lineNumber, lineStart);
                    lineLength += i - from;
                    if (handle(line, lineLength, lineNumber, lineStart, index, false, handler)) {
                        index++;
                    }
                    offset += i + 1 - from;
                    from = i + 1;
                    lineNumber++;
                    lineStart = offset;
                    lineLength = 0;
                }
                line = append(line, lineLength, chunk, from, read - from, lineNumber, lineStart);
                lineLength += read - from;
                offset += read - from;
            }
        } catch (BodyRefusedException e) {
            // its offset is exact; the line being read has not reached it (the chunk was refused whole)
            throw new PageFormatException(e.getMessage(), e);
        } catch (IOException e) {
            throw new PageFormatException("reading the body failed at byte " + offset + " (line " + lineNumber
                    + ", after " + index + " items): " + e, e);
        }
        handle(line, lineLength, lineNumber, lineStart, index, true, handler);
        return null;
    }

    /** Parses one line and hands its item on; false for a blank line. */
    private boolean handle(byte[] line, int length, long lineNumber, long lineStart, long index, boolean last,
                           ItemHandler handler) throws PageFormatException, PullFailedException {
        int end = length;
        if (end > 0 && line[end - 1] == '\r') {
            end--;
        }
        if (isBlank(line, end)) {
            return false;
        }
        JsonNode item;
        try {
            item = lines.readTree(line, 0, end);
        } catch (JsonProcessingException e) {
            String where = "line " + lineNumber + " (byte " + lineStart + ", item at index " + index + ")";
            String problem = last
                    ? where + " is cut in half: the body ended without a newline and the line is not complete JSON"
                    : where + " is not valid JSON";
            throw new PageFormatException(problem + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new PageFormatException("line " + lineNumber + " could not be read: " + e, e);
        }
        handler.item(item, index, lineNumber);
        return true;
    }

    private byte[] append(byte[] line, int length, byte[] chunk, int from, int count, long lineNumber,
                                 long lineStart) throws PageFormatException {
        if (count == 0) {
            return line;
        }
        if ((long) length + count > maxLineBytes) {
            throw new PageFormatException("line " + lineNumber + " (byte " + lineStart + ") is longer than "
                    + maxLineBytes + " bytes, the most one NDJSON item may have (" + PublisherBody.LIMIT_SETTING + ")",
                    null);
        }
        byte[] into = line;
        if (length + count > line.length) {
            into = Arrays.copyOf(line, Math.min(maxLineBytes, Math.max(line.length * 2, length + count)));
        }
        System.arraycopy(chunk, from, into, length, count);
        return into;
    }

    private static boolean isBlank(byte[] line, int length) {
        for (int i = 0; i < length; i++) {
            byte b = line[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
