package io.strix.aggregator.track;

/**
 * Constant-velocity Kalman filter of one box, state (cx, cy, a, h, vcx, vcy, va, vh) as in SORT and ByteTrack:
 * centre, aspect ratio w/h and height in normalized image units, velocities per second.
 *
 * <p>ByteTrack tunes its noise per frame at about 30 fps; here the noise is expressed per second and scaled by
 * the time step, so that at 1/30 s steps the filter behaves like ByteTrack's and at other or varying frame rates
 * the uncertainty grows with the elapsed time rather than with the frame count.
 */
public final class KalmanBoxFilter {
    static final int STATE = 8;
    static final int MEASUREMENT = 4;
    /** The frame interval ByteTrack's noise weights were tuned for. */
    static final double REFERENCE_STEP_SECONDS = 1.0 / 30.0;
    private static final double POSITION_WEIGHT = 1.0 / 20;
    private static final double VELOCITY_WEIGHT = 1.0 / 160;

    private final double[] mean;
    private final double[][] covariance;

    private KalmanBoxFilter(double[] mean, double[][] covariance) {
        this.mean = mean;
        this.covariance = covariance;
    }

    /** A filter whose state is the measurement {@code (cx, cy, a, h)} at rest, with ByteTrack's initial spread. */
    public static KalmanBoxFilter initiate(double[] measurement) {
        double[] mean = new double[STATE];
        System.arraycopy(measurement, 0, mean, 0, MEASUREMENT);
        double h = measurement[3];
        double positionStd = 2 * POSITION_WEIGHT * h;
        double velocityStd = 10 * VELOCITY_WEIGHT * h / REFERENCE_STEP_SECONDS;
        double[] std = {positionStd, positionStd, 1e-2, positionStd,
            velocityStd, velocityStd, 1e-5 / REFERENCE_STEP_SECONDS, velocityStd};
        double[][] covariance = new double[STATE][STATE];
        for (int i = 0; i < STATE; i++) {
            covariance[i][i] = std[i] * std[i];
        }
        return new KalmanBoxFilter(mean, covariance);
    }

    static KalmanBoxFilter of(double[] mean, double[][] covariance) {
        return new KalmanBoxFilter(mean.clone(), copy(covariance));
    }

    /** Converts a top-left box {@code (x, y, w, h)} to the measurement {@code (cx, cy, w/h, h)}. */
    public static double[] measurementOf(double x, double y, double w, double h) {
        return new double[] {x + w / 2, y + h / 2, w / h, h};
    }

    /** Moves the state {@code dtSeconds} ahead; a step of zero or less changes nothing. */
    public void predict(double dtSeconds) {
        if (!(dtSeconds > 0)) {
            return;
        }
        double h = mean[3];
        double scale = dtSeconds / REFERENCE_STEP_SECONDS;
        double positionStd = POSITION_WEIGHT * h;
        double velocityStd = VELOCITY_WEIGHT * h / REFERENCE_STEP_SECONDS;
        double[] std = {positionStd, positionStd, 1e-2, positionStd,
            velocityStd, velocityStd, 1e-5 / REFERENCE_STEP_SECONDS, velocityStd};
        for (int i = 0; i < MEASUREMENT; i++) {
            mean[i] += dtSeconds * mean[i + MEASUREMENT];
        }
        // P' = F P F^T with F = [[I, dt I], [0, I]], done blockwise in place.
        double[][] p = covariance;
        double[][] next = new double[STATE][STATE];
        for (int i = 0; i < STATE; i++) {
            for (int j = 0; j < STATE; j++) {
                double value = p[i][j];
                if (i < MEASUREMENT) {
                    value += dtSeconds * p[i + MEASUREMENT][j];
                }
                if (j < MEASUREMENT) {
                    value += dtSeconds * p[i][j + MEASUREMENT];
                    if (i < MEASUREMENT) {
                        value += dtSeconds * dtSeconds * p[i + MEASUREMENT][j + MEASUREMENT];
                    }
                }
                next[i][j] = value;
            }
        }
        for (int i = 0; i < STATE; i++) {
            next[i][i] += std[i] * std[i] * scale;
        }
        symmetrizeInto(next, covariance);
    }

    /** Corrects the state with a measurement {@code (cx, cy, a, h)}. */
    public void update(double[] measurement) {
        double h = mean[3];
        double[] noiseStd = {POSITION_WEIGHT * h, POSITION_WEIGHT * h, 1e-1, POSITION_WEIGHT * h};
        // H selects the first four state components, so H P H^T is P's top-left block.
        double[][] innovationCovariance = new double[MEASUREMENT][MEASUREMENT];
        for (int i = 0; i < MEASUREMENT; i++) {
            for (int j = 0; j < MEASUREMENT; j++) {
                innovationCovariance[i][j] = covariance[i][j];
            }
            innovationCovariance[i][i] += noiseStd[i] * noiseStd[i];
        }
        double[][] inverse = invert(innovationCovariance);
        // K = P H^T S^-1 (8x4); P H^T is P's first four columns.
        double[][] gain = new double[STATE][MEASUREMENT];
        for (int i = 0; i < STATE; i++) {
            for (int j = 0; j < MEASUREMENT; j++) {
                double sum = 0;
                for (int k = 0; k < MEASUREMENT; k++) {
                    sum += covariance[i][k] * inverse[k][j];
                }
                gain[i][j] = sum;
            }
        }
        double[] innovation = new double[MEASUREMENT];
        for (int i = 0; i < MEASUREMENT; i++) {
            innovation[i] = measurement[i] - mean[i];
        }
        for (int i = 0; i < STATE; i++) {
            double sum = 0;
            for (int k = 0; k < MEASUREMENT; k++) {
                sum += gain[i][k] * innovation[k];
            }
            mean[i] += sum;
        }
        // P' = P - K H P, where H P is P's first four rows.
        double[][] next = new double[STATE][STATE];
        for (int i = 0; i < STATE; i++) {
            for (int j = 0; j < STATE; j++) {
                double sum = 0;
                for (int k = 0; k < MEASUREMENT; k++) {
                    sum += gain[i][k] * covariance[k][j];
                }
                next[i][j] = covariance[i][j] - sum;
            }
        }
        symmetrizeInto(next, covariance);
    }

    /** Stops the height from growing or shrinking while the box is not observed (ByteTrack does this for lost tracks). */
    void freezeHeightVelocity() {
        mean[7] = 0;
    }

    public double centreX() {
        return mean[0];
    }

    public double centreY() {
        return mean[1];
    }

    public double width() {
        return mean[2] * mean[3];
    }

    public double height() {
        return mean[3];
    }

    /** Left edge. */
    public double left() {
        return mean[0] - width() / 2;
    }

    /** Top edge. */
    public double top() {
        return mean[1] - mean[3] / 2;
    }

    /** Centre velocity along x, frame widths per second. */
    public double velocityX() {
        return mean[4];
    }

    /** Centre velocity along y, frame heights per second. */
    public double velocityY() {
        return mean[5];
    }

    double[] mean() {
        return mean;
    }

    double[][] covariance() {
        return covariance;
    }

    private static void symmetrizeInto(double[][] source, double[][] target) {
        for (int i = 0; i < STATE; i++) {
            target[i][i] = source[i][i];
            for (int j = i + 1; j < STATE; j++) {
                double value = (source[i][j] + source[j][i]) / 2;
                target[i][j] = value;
                target[j][i] = value;
            }
        }
    }

    private static double[][] copy(double[][] matrix) {
        double[][] result = new double[matrix.length][];
        for (int i = 0; i < matrix.length; i++) {
            result[i] = matrix[i].clone();
        }
        return result;
    }

    /** Gauss-Jordan with partial pivoting; the innovation covariance is symmetric positive definite. */
    private static double[][] invert(double[][] matrix) {
        int n = matrix.length;
        double[][] a = new double[n][2 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(matrix[i], 0, a[i], 0, n);
            a[i][n + i] = 1;
        }
        for (int column = 0; column < n; column++) {
            int pivot = column;
            for (int r = column + 1; r < n; r++) {
                if (Math.abs(a[r][column]) > Math.abs(a[pivot][column])) {
                    pivot = r;
                }
            }
            double[] swap = a[column];
            a[column] = a[pivot];
            a[pivot] = swap;
            double divisor = a[column][column];
            if (divisor == 0) {
                throw new ArithmeticException("singular innovation covariance");
            }
            for (int c = 0; c < 2 * n; c++) {
                a[column][c] /= divisor;
            }
            for (int r = 0; r < n; r++) {
                if (r != column) {
                    double factor = a[r][column];
                    if (factor != 0) {
                        for (int c = 0; c < 2 * n; c++) {
                            a[r][c] -= factor * a[column][c];
                        }
                    }
                }
            }
        }
        double[][] inverse = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], n, inverse[i], 0, n);
        }
        return inverse;
    }
}
