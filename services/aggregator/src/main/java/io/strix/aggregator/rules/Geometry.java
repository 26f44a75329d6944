package io.strix.aggregator.rules;

import io.strix.schema.Point;
import java.util.List;
import java.util.Optional;

/**
 * Plane geometry in normalized image coordinates (origin top-left, y pointing down): sides of a directed line,
 * segment intersection, point in polygon and polygon self-intersection.
 */
public final class Geometry {
    private Geometry() {
    }

    /** Which side of a directed line a point is on, as seen on screen. */
    public enum Side {
        LEFT, RIGHT, ON
    }

    /**
     * Which side of the directed line {@code a -> b} the point is on, as a viewer sees the image: for a line
     * pointing right on screen, LEFT is above it and RIGHT below it.
     */
    public static Side sideOf(double ax, double ay, double bx, double by, double px, double py) {
        double cross = cross(ax, ay, bx, by, px, py);
        // y points down, which mirrors the usual counter-clockwise-is-left rule.
        return cross < 0 ? Side.LEFT : cross > 0 ? Side.RIGHT : Side.ON;
    }

    public static Side sideOf(Point a, Point b, double px, double py) {
        return sideOf(a.getX(), a.getY(), b.getX(), b.getY(), px, py);
    }

    /** Whether the closed segments {@code p1-p2} and {@code q1-q2} share at least one point (touching counts). */
    public static boolean segmentsIntersect(double p1x, double p1y, double p2x, double p2y,
                                            double q1x, double q1y, double q2x, double q2y) {
        int o1 = orientation(p1x, p1y, p2x, p2y, q1x, q1y);
        int o2 = orientation(p1x, p1y, p2x, p2y, q2x, q2y);
        int o3 = orientation(q1x, q1y, q2x, q2y, p1x, p1y);
        int o4 = orientation(q1x, q1y, q2x, q2y, p2x, p2y);
        if (o1 != o2 && o3 != o4) {
            return true;
        }
        return o1 == 0 && onSegment(p1x, p1y, p2x, p2y, q1x, q1y)
                || o2 == 0 && onSegment(p1x, p1y, p2x, p2y, q2x, q2y)
                || o3 == 0 && onSegment(q1x, q1y, q2x, q2y, p1x, p1y)
                || o4 == 0 && onSegment(q1x, q1y, q2x, q2y, p2x, p2y);
    }

    public static boolean segmentsIntersect(Point p1, Point p2, Point q1, Point q2) {
        return segmentsIntersect(p1.getX(), p1.getY(), p2.getX(), p2.getY(), q1.getX(), q1.getY(), q2.getX(), q2.getY());
    }

    /** Whether the point lies inside the polygon or on its boundary (even-odd rule). */
    public static boolean contains(List<Point> polygon, double x, double y) {
        int n = polygon.size();
        if (n < 3) {
            return false;
        }
        boolean inside = false;
        for (int i = 0, j = n - 1; i < n; j = i++) {
            double xi = polygon.get(i).getX();
            double yi = polygon.get(i).getY();
            double xj = polygon.get(j).getX();
            double yj = polygon.get(j).getY();
            if (orientation(xj, yj, xi, yi, x, y) == 0 && onSegment(xj, yj, xi, yi, x, y)) {
                return true;
            }
            if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) {
                inside = !inside;
            }
        }
        return inside;
    }

    /**
     * The first pair of edges that intersect where they should not, edge {@code i} running from point {@code i}
     * to point {@code i+1} (the last one back to point 0): edges that are not neighbours may not touch at all,
     * neighbours may only share their common point.
     *
     * @return the edge indexes, lower first, or empty for a simple polygon
     */
    public static Optional<int[]> firstSelfIntersection(List<Point> polygon) {
        int n = polygon.size();
        if (n < 3) {
            return Optional.empty();
        }
        for (int i = 0; i < n; i++) {
            Point a1 = polygon.get(i);
            Point a2 = polygon.get((i + 1) % n);
            for (int j = i + 1; j < n; j++) {
                Point b1 = polygon.get(j);
                Point b2 = polygon.get((j + 1) % n);
                boolean intersects;
                if (j == i + 1) {
                    // Share a2 == b1: they overlap only if one folds back along the other.
                    intersects = foldsBack(a1, a2, b2);
                } else if (i == 0 && j == n - 1) {
                    // Share a1 == b2.
                    intersects = foldsBack(b1, b2, a2);
                } else {
                    intersects = segmentsIntersect(a1, a2, b1, b2);
                }
                if (intersects) {
                    return Optional.of(new int[] {i, j});
                }
            }
        }
        return Optional.empty();
    }

    /** Twice the signed area (shoelace); zero for a polygon without area. */
    public static double doubledArea(List<Point> polygon) {
        double sum = 0;
        int n = polygon.size();
        for (int i = 0; i < n; i++) {
            Point p = polygon.get(i);
            Point q = polygon.get((i + 1) % n);
            sum += (double) p.getX() * q.getY() - (double) q.getX() * p.getY();
        }
        return sum;
    }

    /** Edges {@code start -> shared} and {@code shared -> end} overlap beyond their shared point. */
    private static boolean foldsBack(Point start, Point shared, Point end) {
        if (orientation(start.getX(), start.getY(), shared.getX(), shared.getY(), end.getX(), end.getY()) != 0) {
            return false;
        }
        // Collinear: they overlap when end lies back on the first edge or start lies on the second one.
        return !samePoint(end, shared) && onSegment(start.getX(), start.getY(), shared.getX(), shared.getY(), end.getX(), end.getY())
                || !samePoint(start, shared) && onSegment(shared.getX(), shared.getY(), end.getX(), end.getY(), start.getX(), start.getY());
    }

    private static boolean samePoint(Point p, Point q) {
        return p.getX() == q.getX() && p.getY() == q.getY();
    }

    private static double cross(double ax, double ay, double bx, double by, double px, double py) {
        return (bx - ax) * (py - ay) - (by - ay) * (px - ax);
    }

    private static int orientation(double ax, double ay, double bx, double by, double px, double py) {
        return (int) Math.signum(cross(ax, ay, bx, by, px, py));
    }

    /** For a point known to be collinear with the segment: whether it lies within the segment's extent. */
    private static boolean onSegment(double ax, double ay, double bx, double by, double px, double py) {
        return px >= Math.min(ax, bx) && px <= Math.max(ax, bx) && py >= Math.min(ay, by) && py <= Math.max(ay, by);
    }
}
