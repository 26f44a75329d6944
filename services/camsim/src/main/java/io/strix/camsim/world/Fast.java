package io.strix.camsim.world;

/** Fast versions of maths the inner loops need (java.lang.Math.hypot guards against overflow and is slow). */
public final class Fast {
    private Fast() {
    }

    /** sqrt(x² + y²), for the small lengths of a street scene. */
    public static double hypot(double x, double y) {
        return Math.sqrt(x * x + y * y);
    }
}
