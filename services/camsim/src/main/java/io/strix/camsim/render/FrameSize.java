package io.strix.camsim.render;

/** An image size, written WxH (640x360). */
public record FrameSize(int width, int height) {
    public static final int MIN = 32;
    public static final int MAX = 4096;

    public FrameSize {
        if (width < MIN || height < MIN || width > MAX || height > MAX) {
            throw new IllegalArgumentException("size " + width + "x" + height + " is outside " + MIN + ".." + MAX
                    + " pixels a side");
        }
    }

    /** Parses "640x360"; the message of the exception says what is wrong. */
    public static FrameSize parse(String text) {
        String t = text.strip().toLowerCase(java.util.Locale.ROOT);
        int x = t.indexOf('x');
        if (x <= 0 || x == t.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' is not a size WxH like 640x360");
        }
        try {
            return new FrameSize(Integer.parseInt(t.substring(0, x)), Integer.parseInt(t.substring(x + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a size WxH like 640x360");
        }
    }

    @Override
    public String toString() {
        return width + "x" + height;
    }
}
