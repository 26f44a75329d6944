package io.strix.aggregator.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.strix.schema.Point;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeometryTest {
    static List<Point> polygon(double... xy) {
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < xy.length; i += 2) {
            points.add(new Point((float) xy[i], (float) xy[i + 1]));
        }
        return points;
    }

    private static final List<Point> SQUARE = polygon(0.25, 0.25, 0.75, 0.25, 0.75, 0.75, 0.25, 0.75);
    /** An L shape whose notch is the top right quarter. */
    private static final List<Point> L_SHAPE = polygon(0, 0, 0.5, 0, 0.5, 0.5, 1, 0.5, 1, 1, 0, 1);

    @Test
    void pointInsideConvexPolygonIsContained() {
        assertThat(Geometry.contains(SQUARE, 0.4, 0.4)).isTrue();
        assertThat(Geometry.contains(SQUARE, 0.1, 0.4)).isFalse();
        assertThat(Geometry.contains(SQUARE, 0.4, 0.8)).isFalse();
    }

    @Test
    void pointInConcaveNotchIsOutside() {
        assertThat(Geometry.contains(L_SHAPE, 0.75, 0.25)).isFalse();
        assertThat(Geometry.contains(L_SHAPE, 0.25, 0.25)).isTrue();
        assertThat(Geometry.contains(L_SHAPE, 0.75, 0.75)).isTrue();
    }

    @Test
    void pointOnBoundaryOrVertexCountsAsInside() {
        // Exactly representable coordinates: a boundary is only exact where float and double agree.
        assertThat(Geometry.contains(SQUARE, 0.5, 0.25)).isTrue();
        assertThat(Geometry.contains(SQUARE, 0.75, 0.75)).isTrue();
        assertThat(Geometry.contains(L_SHAPE, 0.5, 0.25)).isTrue();
    }

    @Test
    void degeneratePolygonContainsNothing() {
        assertThat(Geometry.contains(polygon(0, 0, 1, 1), 0.5, 0.5)).isFalse();
    }

    @Test
    void crossingSegmentsIntersect() {
        assertThat(Geometry.segmentsIntersect(0, 0, 1, 1, 0, 1, 1, 0)).isTrue();
    }

    @Test
    void parallelAndDisjointSegmentsDoNotIntersect() {
        assertThat(Geometry.segmentsIntersect(0, 0, 1, 0, 0, 0.1, 1, 0.1)).isFalse();
        assertThat(Geometry.segmentsIntersect(0, 0, 0.4, 0.4, 0.6, 0.6, 1, 1)).as("collinear, apart").isFalse();
        assertThat(Geometry.segmentsIntersect(0, 0, 1, 0, 0.5, 0.1, 0.5, 1)).as("T that stops short").isFalse();
    }

    @Test
    void touchingAndOverlappingSegmentsIntersect() {
        assertThat(Geometry.segmentsIntersect(0, 0, 1, 0, 0.5, 0, 0.5, 1)).as("T that touches").isTrue();
        assertThat(Geometry.segmentsIntersect(0, 0, 0.6, 0.6, 0.4, 0.4, 1, 1)).as("collinear overlap").isTrue();
        assertThat(Geometry.segmentsIntersect(0, 0, 1, 0, 1, 0, 1, 1)).as("shared end point").isTrue();
    }

    @Test
    void sideOfDirectedLineFollowsTheScreen() {
        // A line pointing right on screen: above it (smaller y) is its left.
        assertThat(Geometry.sideOf(0, 0.5, 1, 0.5, 0.5, 0.2)).isEqualTo(Geometry.Side.LEFT);
        assertThat(Geometry.sideOf(0, 0.5, 1, 0.5, 0.5, 0.8)).isEqualTo(Geometry.Side.RIGHT);
        assertThat(Geometry.sideOf(0, 0.5, 1, 0.5, 2, 0.5)).isEqualTo(Geometry.Side.ON);
        // Pointing down the screen: the viewer's left is the image's right-hand side (larger x).
        assertThat(Geometry.sideOf(0.5, 0, 0.5, 1, 0.8, 0.5)).isEqualTo(Geometry.Side.LEFT);
    }

    @Test
    void simplePolygonsHaveNoSelfIntersection() {
        assertThat(Geometry.firstSelfIntersection(SQUARE)).isEmpty();
        assertThat(Geometry.firstSelfIntersection(L_SHAPE)).isEmpty();
        assertThat(Geometry.firstSelfIntersection(polygon(0.1, 0.1, 0.9, 0.1, 0.5, 0.9))).isEmpty();
    }

    @Test
    void bowTieIntersectsAtEdgesZeroAndTwo() {
        assertThat(Geometry.firstSelfIntersection(polygon(0, 0, 1, 1, 1, 0, 0, 1)))
                .hasValueSatisfying(edges -> assertThat(edges).containsExactly(0, 2));
    }

    @Test
    void polygonTouchingItselfAtAVertexIntersects() {
        // The fifth point lies on the first edge.
        assertThat(Geometry.firstSelfIntersection(polygon(0, 0, 1, 0, 1, 1, 0.5, 1, 0.5, 0, 0, 1))).isPresent();
    }

    @Test
    void edgeFoldingBackOnItsNeighbourIntersects() {
        assertThat(Geometry.firstSelfIntersection(polygon(0, 0, 1, 0, 0.5, 0)))
                .as("all on one line").isPresent();
        assertThat(Geometry.firstSelfIntersection(polygon(0, 0, 1, 0, 0.5, 0, 0.5, 1))).isPresent();
    }

    @Test
    void areaOfSquareAndOfFlatPolygon() {
        assertThat(Math.abs(Geometry.doubledArea(SQUARE))).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(Geometry.doubledArea(polygon(0, 0, 0.5, 0.5, 1, 1))).isZero();
    }
}
