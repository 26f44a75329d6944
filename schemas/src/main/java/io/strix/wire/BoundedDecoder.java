package io.strix.wire;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

/**
 * An Avro binary decoder over one record's bytes that refuses any length or item count larger than the bytes left.
 * Avro's own decoders allocate what a length field asks for before reading it, so twenty corrupt bytes can ask for a
 * 2 GiB string or an array of two billion items and end in an {@link OutOfMemoryError}; here they end in an
 * {@link AvroRuntimeException} that the serde turns into a {@link RecordDecodeException}.
 *
 * <p>Counts are checked against the bytes left because every array item and map entry of the Strix schemas takes at
 * least one byte (no schema has arrays of {@code null} or of empty records).
 */
final class BoundedDecoder extends Decoder {
    private final Input input;
    private final BinaryDecoder in;

    BoundedDecoder(byte[] data, int offset, int length) {
        this.input = new Input(data, offset, length);
        this.in = DecoderFactory.get().directBinaryDecoder(input, null);
    }

    /** Bytes not read yet. */
    int remaining() {
        return input.available();
    }

    @Override
    public void readNull() throws IOException {
        in.readNull();
    }

    @Override
    public boolean readBoolean() throws IOException {
        return in.readBoolean();
    }

    @Override
    public int readInt() throws IOException {
        return in.readInt();
    }

    @Override
    public long readLong() throws IOException {
        return in.readLong();
    }

    @Override
    public float readFloat() throws IOException {
        return in.readFloat();
    }

    @Override
    public double readDouble() throws IOException {
        return in.readDouble();
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        return new Utf8(readLengthAndBytes("a string"));
    }

    @Override
    public String readString() throws IOException {
        return new String(readLengthAndBytes("a string"), StandardCharsets.UTF_8);
    }

    @Override
    public void skipString() throws IOException {
        skipLengthAndBytes("a string");
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        return ByteBuffer.wrap(readLengthAndBytes("a bytes value"));
    }

    @Override
    public void skipBytes() throws IOException {
        skipLengthAndBytes("a bytes value");
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        in.readFixed(bytes, start, length);
    }

    @Override
    public void skipFixed(int length) throws IOException {
        in.skipFixed(length);
    }

    @Override
    public int readEnum() throws IOException {
        return in.readEnum();
    }

    @Override
    public long readArrayStart() throws IOException {
        return count(in.readArrayStart(), "array");
    }

    @Override
    public long arrayNext() throws IOException {
        return count(in.arrayNext(), "array");
    }

    @Override
    public long skipArray() throws IOException {
        return count(in.skipArray(), "array");
    }

    @Override
    public long readMapStart() throws IOException {
        return count(in.readMapStart(), "map");
    }

    @Override
    public long mapNext() throws IOException {
        return count(in.mapNext(), "map");
    }

    @Override
    public long skipMap() throws IOException {
        return count(in.skipMap(), "map");
    }

    @Override
    public int readIndex() throws IOException {
        return in.readIndex();
    }

    private byte[] readLengthAndBytes(String what) throws IOException {
        int length = length(in.readLong(), what);
        byte[] bytes = new byte[length];
        in.readFixed(bytes, 0, length);
        return bytes;
    }

    private void skipLengthAndBytes(String what) throws IOException {
        in.skipFixed(length(in.readLong(), what));
    }

    private int length(long length, String what) {
        if (length < 0 || length > remaining()) {
            throw new AvroRuntimeException(what + " of " + length + " bytes, but only " + remaining()
                    + " bytes are left in the record");
        }
        return (int) length;
    }

    private long count(long count, String what) {
        if (count < 0 || count > remaining()) {
            throw new AvroRuntimeException("a block of " + count + " " + what + " items, but only " + remaining()
                    + " bytes are left in the record");
        }
        return count;
    }

    /** The record's bytes as a stream that knows how many are left; not thread-safe, unlike ByteArrayInputStream. */
    private static final class Input extends InputStream {
        private final byte[] data;
        private final int end;
        private int position;

        Input(byte[] data, int offset, int length) {
            this.data = data;
            this.position = offset;
            this.end = offset + length;
        }

        @Override
        public int read() {
            return position < end ? data[position++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (length == 0) {
                return 0;
            }
            if (position >= end) {
                return -1;
            }
            int n = Math.min(length, end - position);
            System.arraycopy(data, position, buffer, offset, n);
            position += n;
            return n;
        }

        @Override
        public long skip(long n) {
            long skipped = Math.max(0, Math.min(n, end - position));
            position += (int) skipped;
            return skipped;
        }

        @Override
        public int available() {
            return end - position;
        }
    }
}
