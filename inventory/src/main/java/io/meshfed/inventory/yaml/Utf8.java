package io.meshfed.inventory.yaml;

import io.meshfed.inventory.InventoryException;
import io.meshfed.model.inventory.Location;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** A file's bytes as UTF-8 text; anything else is an error at the line and column of its first bad byte. */
public final class Utf8 {

    private Utf8() {
    }

    /** The file's text, a leading byte-order mark dropped; InventoryExceptions for a missing, unreadable or non-UTF-8 file. */
    public static String read(Path file, String displayName) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InventoryException(new Location(displayName, 0, 0), "no such file");
        } catch (IOException e) {
            String name = e.getClass().getSimpleName().replace("Exception", "");
            throw new InventoryException(new Location(displayName, 0, 0), "cannot read file: "
                    + (e.getMessage() == null ? name : name + " " + e.getMessage()));
        }
        return decode(bytes, displayName);
    }

    static String decode(byte[] bytes, String displayName) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            out.flip();
            String before = out.toString();
            int line = (int) before.chars().filter(c -> c == '\n').count() + 1;
            int column = before.length() - (before.lastIndexOf('\n') + 1) + 1;
            throw new InventoryException(new Location(displayName, line, column), String.format(
                    "cannot read file: not UTF-8 text (byte 0x%02X at offset %d)", bytes[in.position()] & 0xff, in.position()));
        }
        decoder.flush(out);
        out.flip();
        String text = out.toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }
}
