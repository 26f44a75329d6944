package io.strix.aggregator.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class KalmanBoxFilterTest {

    @Test
    void predictsConstantMotionAfterLearningTheVelocity() {
        // Centre moves at (0.2, -0.1) frame units per second, observed at uneven intervals.
        double[] steps = {0.1, 0.04, 0.2, 0.1, 0.033, 0.15, 0.1, 0.08, 0.12, 0.1, 0.2, 0.05, 0.1, 0.1, 0.1};
        double t = 0;
        KalmanBoxFilter filter = KalmanBoxFilter.initiate(new double[] {0.2, 0.6, 0.5, 0.2});
        for (double dt : steps) {
            t += dt;
            filter.predict(dt);
            filter.update(new double[] {0.2 + 0.2 * t, 0.6 - 0.1 * t, 0.5, 0.2});
        }
        assertThat(filter.velocityX()).isCloseTo(0.2, offset(0.01));
        assertThat(filter.velocityY()).isCloseTo(-0.1, offset(0.01));

        filter.predict(0.5);
        assertThat(filter.centreX()).isCloseTo(0.2 + 0.2 * (t + 0.5), offset(0.005));
        assertThat(filter.centreY()).isCloseTo(0.6 - 0.1 * (t + 0.5), offset(0.005));
        assertThat(filter.height()).isCloseTo(0.2, offset(1e-6));
        assertThat(filter.width()).isCloseTo(0.1, offset(1e-6));
    }

    @Test
    void predictionOfZeroOrNegativeStepChangesNothing() {
        KalmanBoxFilter filter = KalmanBoxFilter.initiate(new double[] {0.5, 0.5, 1, 0.1});
        double[] mean = filter.mean().clone();
        double variance = filter.covariance()[0][0];
        filter.predict(0);
        filter.predict(-1);
        assertThat(filter.mean()).containsExactly(mean);
        assertThat(filter.covariance()[0][0]).isEqualTo(variance);
    }

    @Test
    void uncertaintyGrowsWithElapsedTimeNotWithCallCount() {
        KalmanBoxFilter once = KalmanBoxFilter.initiate(new double[] {0.5, 0.5, 1, 0.1});
        KalmanBoxFilter shortStep = KalmanBoxFilter.initiate(new double[] {0.5, 0.5, 1, 0.1});
        once.predict(1.0);
        shortStep.predict(0.1);
        assertThat(once.covariance()[0][0]).isGreaterThan(shortStep.covariance()[0][0] * 5);
    }

    @Test
    void updatePullsTheStateTowardsTheMeasurement() {
        KalmanBoxFilter filter = KalmanBoxFilter.initiate(new double[] {0.5, 0.5, 1, 0.1});
        filter.predict(0.1);
        filter.update(new double[] {0.52, 0.5, 1, 0.1});
        assertThat(filter.centreX()).isBetween(0.5, 0.52);
        assertThat(filter.velocityX()).isPositive();
    }

    @Test
    void convertsTopLeftBoxesToCentreAspectHeight() {
        assertThat(KalmanBoxFilter.measurementOf(0.1, 0.2, 0.3, 0.4)).containsExactly(
                new double[] {0.25, 0.4, 0.75, 0.4}, offset(1e-12));
        KalmanBoxFilter filter = KalmanBoxFilter.initiate(KalmanBoxFilter.measurementOf(0.1, 0.2, 0.3, 0.4));
        assertThat(filter.left()).isCloseTo(0.1, offset(1e-12));
        assertThat(filter.top()).isCloseTo(0.2, offset(1e-12));
    }
}
