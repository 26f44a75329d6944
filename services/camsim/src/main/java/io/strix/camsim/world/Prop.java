package io.strix.camsim.world;

/** A fixed piece of street furniture or greenery; not an object of any detected class. */
public record Prop(Kind kind, double x, double y, double heading, double scale, long seed) {
    /** What the prop is. */
    public enum Kind { TREE, LAMP, TRAFFIC_LIGHT, SIGN, BENCH, BIN, HYDRANT, BOLLARD, PLANTER, CONE, SHELTER, MAILBOX,
        FLAG }

    /** Radius of the ground footprint used for draw order, in metres. */
    public double footprint() {
        return switch (kind) {
            case TREE -> 0.25 * scale;
            case LAMP, TRAFFIC_LIGHT, SIGN, FLAG -> 0.1;
            case BENCH -> 0.9;
            case BIN, HYDRANT, BOLLARD, CONE, MAILBOX -> 0.3;
            case PLANTER -> 0.6;
            case SHELTER -> 2.0;
        };
    }
}
