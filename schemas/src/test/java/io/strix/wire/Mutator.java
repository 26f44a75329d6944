package io.strix.wire;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Seeded mutations of valid inputs for fuzz tests: bit flips, odd bytes, truncation, splicing two inputs, ranges
 * deleted, duplicated or inserted, and Avro-style varints (lengths and counts) set to huge or negative values. The
 * same seed gives the same inputs in the same order; {@link #lastMutation()} says what was done, for the failure
 * message.
 */
public final class Mutator {
    /** Values a corrupt length or count field may take: negative, just too large, and far too large. */
    private static final long[] HUGE = {-1, -2, Integer.MIN_VALUE, 0x7FFF_FFFFL, 0x7FFF_FFF8L, 0xFFFF_FFFFL,
            1L << 40, Long.MAX_VALUE, Long.MIN_VALUE};
    private static final byte[] ODD_BYTES = {0, (byte) 0xFF, 0x7F, (byte) 0x80, 0x01, (byte) 0xC3, (byte) 0xD8};

    private final Random random;
    private String lastMutation = "";

    public Mutator(long seed) {
        this.random = new Random(seed);
    }

    public Random random() {
        return random;
    }

    /** What the last call did to its input, e.g. "truncated to 17 bytes". */
    public String lastMutation() {
        return lastMutation;
    }

    /** One random mutation of {@code input}; {@code others} are splice partners. Never changes its arguments. */
    public byte[] mutate(byte[] input, List<byte[]> others) {
        byte[] data = input.clone();
        return switch (random.nextInt(9)) {
            case 0 -> flipBits(data, 1 + random.nextInt(8));
            case 1 -> oddBytes(data, 1 + random.nextInt(4));
            case 2 -> truncate(data);
            case 3 -> splice(data, others.get(random.nextInt(others.size())));
            case 4 -> deleteRange(data);
            case 5 -> duplicateRange(data);
            case 6 -> insertRandom(data);
            case 7 -> hugeVarint(data);
            default -> stacked(data, others);
        };
    }

    /** Random bytes of a random length up to {@code maxLength}. */
    public byte[] randomBytes(int maxLength) {
        byte[] bytes = new byte[random.nextInt(maxLength + 1)];
        random.nextBytes(bytes);
        lastMutation = "random bytes";
        return bytes;
    }

    /** Zigzag varint, as Avro writes ints and longs (and so every length and count). */
    public static byte[] varint(long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long zigzag = (value << 1) ^ (value >> 63);
        while ((zigzag & ~0x7FL) != 0) {
            out.write((int) ((zigzag & 0x7F) | 0x80));
            zigzag >>>= 7;
        }
        out.write((int) zigzag);
        return out.toByteArray();
    }

    /** The bytes of the varint that starts at {@code position}. */
    public static int varintLength(byte[] data, int position) {
        int end = position;
        while (end < data.length && (data[end] & 0x80) != 0) {
            end++;
        }
        return Math.min(end + 1, data.length) - position;
    }

    /** {@code data} with the varint at {@code position} replaced by {@code value}. */
    public static byte[] replaceVarint(byte[] data, int position, long value) {
        int oldLength = varintLength(data, position);
        byte[] encoded = varint(value);
        byte[] out = new byte[data.length - oldLength + encoded.length];
        System.arraycopy(data, 0, out, 0, position);
        System.arraycopy(encoded, 0, out, position, encoded.length);
        System.arraycopy(data, position + oldLength, out, position + encoded.length,
                data.length - position - oldLength);
        return out;
    }

    /** A huge, negative or just-too-large value for a length field. */
    public long hugeValue(int bytesLeft) {
        int pick = random.nextInt(HUGE.length + 1);
        return pick == HUGE.length ? bytesLeft + 1L : HUGE[pick];
    }

    public static String hex(byte[] data) {
        String hex = HexFormat.of().formatHex(data, 0, Math.min(data.length, 256));
        return data.length > 256 ? hex + "... (" + data.length + " bytes)" : hex;
    }

    private byte[] flipBits(byte[] data, int flips) {
        if (data.length == 0) {
            return data;
        }
        StringBuilder where = new StringBuilder("bits flipped at");
        for (int i = 0; i < flips; i++) {
            int bit = random.nextInt(data.length * 8);
            data[bit / 8] ^= (byte) (1 << (bit % 8));
            where.append(' ').append(bit);
        }
        lastMutation = where.toString();
        return data;
    }

    private byte[] oddBytes(byte[] data, int count) {
        if (data.length == 0) {
            return data;
        }
        StringBuilder where = new StringBuilder("odd bytes at");
        for (int i = 0; i < count; i++) {
            int at = random.nextInt(data.length);
            data[at] = ODD_BYTES[random.nextInt(ODD_BYTES.length)];
            where.append(' ').append(at);
        }
        lastMutation = where.toString();
        return data;
    }

    private byte[] truncate(byte[] data) {
        int length = data.length == 0 ? 0 : random.nextInt(data.length);
        lastMutation = "truncated to " + length + " bytes";
        return Arrays.copyOf(data, length);
    }

    private byte[] splice(byte[] data, byte[] other) {
        int cut = random.nextInt(data.length + 1);
        int from = random.nextInt(other.length + 1);
        byte[] out = Arrays.copyOf(data, cut + other.length - from);
        System.arraycopy(other, from, out, cut, other.length - from);
        lastMutation = "first " + cut + " bytes, then another input from byte " + from;
        return out;
    }

    private byte[] deleteRange(byte[] data) {
        if (data.length == 0) {
            return data;
        }
        int from = random.nextInt(data.length);
        int length = 1 + random.nextInt(Math.min(16, data.length - from));
        byte[] out = new byte[data.length - length];
        System.arraycopy(data, 0, out, 0, from);
        System.arraycopy(data, from + length, out, from, data.length - from - length);
        lastMutation = "deleted " + length + " bytes at " + from;
        return out;
    }

    private byte[] duplicateRange(byte[] data) {
        if (data.length == 0) {
            return data;
        }
        int from = random.nextInt(data.length);
        int length = 1 + random.nextInt(Math.min(32, data.length - from));
        byte[] out = new byte[data.length + length];
        System.arraycopy(data, 0, out, 0, from + length);
        System.arraycopy(data, from, out, from + length, data.length - from);
        lastMutation = "duplicated " + length + " bytes at " + from;
        return out;
    }

    private byte[] insertRandom(byte[] data) {
        int at = random.nextInt(data.length + 1);
        byte[] inserted = new byte[1 + random.nextInt(16)];
        random.nextBytes(inserted);
        byte[] out = new byte[data.length + inserted.length];
        System.arraycopy(data, 0, out, 0, at);
        System.arraycopy(inserted, 0, out, at, inserted.length);
        System.arraycopy(data, at, out, at + inserted.length, data.length - at);
        lastMutation = "inserted " + inserted.length + " random bytes at " + at;
        return out;
    }

    private byte[] hugeVarint(byte[] data) {
        if (data.length == 0) {
            return data;
        }
        int at = random.nextInt(data.length);
        long value = hugeValue(data.length - at);
        lastMutation = "varint at " + at + " set to " + value;
        return replaceVarint(data, at, value);
    }

    private byte[] stacked(byte[] data, List<byte[]> others) {
        byte[] out = data;
        StringBuilder what = new StringBuilder("stacked:");
        for (int i = 0; i < 2 + random.nextInt(3); i++) {
            out = mutate(out, others);
            what.append(' ').append(lastMutation).append(';');
        }
        lastMutation = what.toString();
        return out;
    }
}
