package io.strix.camsim.world;

import java.util.ArrayList;
import java.util.List;

/**
 * The static street: a main road along the y axis (centre line x = 0) with lanes, optional bike and parking lanes,
 * curbs, grass verges, sidewalks and building fronts on both sides; optionally a cross street at y = yCross with
 * signalised zebra crossings, a mid-block zebra, or a parking lot in front of a store. Side 0 is x &lt; 0, side 1 is
 * x &gt; 0; distances per side are measured from the centre line. Traffic keeps to the right, so the lanes of side 1
 * run towards +y.
 */
public final class Layout {
    /** Which kind of street. */
    public enum Kind { STREET, CROSSING, PARKING }

    public static final double CURB = 0.25;
    public static final double WORLD_MIN_Y = -450;
    public static final double WORLD_MAX_Y = 750;

    public final Kind kind;
    public final long seed;
    public final double laneWidth;
    public final int lanes;
    public final double median;
    public final double[] bike = new double[2];
    public final double[] parking = new double[2];
    public final double[] verge = new double[2];
    public final double[] walk = new double[2];
    public final double[] front = new double[2];
    /** |x| of the curb line (end of the roadway). */
    public final double[] roadEdge = new double[2];
    public final double[] walkInner = new double[2];
    public final double[] walkOuter = new double[2];
    public final double[] facade = new double[2];
    public final double yCross;
    public final double crossHalf;
    public final double crossWalk;
    public final double yZebra;
    public final ParkingLot lot;
    public final double yBusStop;
    public final boolean yellowCentre;
    public final boolean dashedLanes;
    public final int asphalt;
    public final int sidewalk;
    /** 0 concrete slabs, 1 small pavers, 2 plain. */
    public final int sidewalkPattern;
    public final double slab;
    public final int grass;
    public final List<FacadePlane> facades = new ArrayList<>();
    public final List<Door> doors = new ArrayList<>();
    public final List<Prop> props = new ArrayList<>();
    public final List<Spot> curbSpots = new ArrayList<>();

    /** A door in a facade, where people come out of and go into buildings; (nx, ny) points to the street. */
    public record Door(double x, double y, double nx, double ny) {
    }

    /** A parking place: centre and the heading a parked car faces. */
    public record Spot(double x, double y, double heading) {
    }

    /**
     * A parking lot on side 1 between the sidewalk and the store: two rows of stalls either side of an aisle along y,
     * reached by a driveway from the road at yDrive.
     */
    public record ParkingLot(double x0, double x1, double y0, double y1, double yDrive, double driveWidth,
                             double aisleX0, double aisleX1, double rowDepth, double stallWidth, List<Spot> stalls) {
        public boolean contains(double x, double y) {
            return x >= x0 && x <= x1 && y >= y0 && y <= y1;
        }
    }

    public Layout(Kind kind, Rng rng) {
        this.kind = kind;
        this.seed = rng.nextLong();
        laneWidth = rng.uniform(3.0, 3.6);
        lanes = kind == Kind.PARKING ? 1 : (rng.chance(0.35) ? 2 : 1);
        median = rng.chance(0.25) ? rng.uniform(0.6, 2.0) : 0.3;
        yellowCentre = rng.chance(0.45);
        dashedLanes = rng.chance(0.6);
        asphalt = rng.pick(List.of(0x3C3C3E, 0x47474A, 0x525254, 0x38393C, 0x4A4845));
        sidewalk = rng.pick(List.of(0xA8A49C, 0xB8B4AC, 0x9C9890, 0xB09080, 0xC0B8A8, 0x989CA0));
        sidewalkPattern = rng.nextInt(3);
        slab = rng.uniform(0.9, 1.8);
        grass = rng.pick(List.of(0x4E7A34, 0x5C8A3A, 0x6B8A40, 0x4A6E30, 0x7A8A48));
        for (int side = 0; side < 2; side++) {
            bike[side] = rng.chance(0.25) ? 1.6 : 0;
            parking[side] = rng.chance(kind == Kind.PARKING && side == 1 ? 0.2 : 0.65) ? 2.3 : 0;
            verge[side] = rng.chance(0.35) ? rng.uniform(1.2, 2.6) : 0;
            walk[side] = rng.uniform(2.4, 5.0);
            front[side] = rng.chance(0.25) ? rng.uniform(1.0, 5.0) : 0;
            roadEdge[side] = median / 2 + lanes * laneWidth + bike[side] + parking[side];
            walkInner[side] = roadEdge[side] + CURB + verge[side];
            walkOuter[side] = walkInner[side] + walk[side];
        }
        ParkingLot parkingLot = null;
        if (kind == Kind.PARKING) {
            double x0 = walkOuter[1];
            double rowDepth = 5.2;
            double aisle = rng.uniform(6.5, 7.5);
            double yDrive = rng.uniform(8, 26);
            double y0 = yDrive - rng.uniform(6, 14);
            double y1 = y0 + rng.uniform(45, 75);
            double aisleX0 = x0 + 1.0 + rowDepth;
            double aisleX1 = aisleX0 + aisle;
            List<Spot> stalls = new ArrayList<>();
            double stallWidth = rng.uniform(2.5, 2.8);
            for (double y = y0 + 2 + stallWidth / 2; y < y1 - 2; y += stallWidth) {
                if (Math.abs(y - yDrive) > 4.0) {
                    stalls.add(new Spot(aisleX0 - rowDepth / 2, y, rng.chance(0.5) ? Math.PI / 2 : -Math.PI / 2));
                }
                stalls.add(new Spot(aisleX1 + rowDepth / 2, y, rng.chance(0.7) ? Math.PI / 2 : -Math.PI / 2));
            }
            double x1 = aisleX1 + rowDepth + rng.uniform(2.5, 4.0);
            parkingLot = new ParkingLot(x0, x1, y0, y1, yDrive, 6.0, aisleX0, aisleX1, rowDepth, stallWidth, stalls);
            front[1] = x1 - x0;
        }
        lot = parkingLot;
        for (int side = 0; side < 2; side++) {
            facade[side] = walkOuter[side] + front[side];
        }
        if (kind == Kind.CROSSING) {
            yCross = rng.uniform(18, 45);
            crossHalf = rng.uniform(3.0, 3.5) + (rng.chance(0.4) ? 2.2 : 0);
            crossWalk = rng.uniform(2.5, 4.0);
        } else {
            yCross = Double.NaN;
            crossHalf = 0;
            crossWalk = 0;
        }
        yZebra = kind == Kind.STREET && rng.chance(0.55) ? rng.uniform(15, 45) : Double.NaN;
        yBusStop = rng.uniform(-10, 50);
        buildFacades(rng.fork(1));
        buildCurbSpots(rng.fork(2));
        buildProps(rng.fork(3));
    }

    public static double sideSign(int side) {
        return side == 0 ? -1 : 1;
    }

    public boolean hasCross() {
        return !Double.isNaN(yCross);
    }

    public boolean hasZebra() {
        return !Double.isNaN(yZebra);
    }

    /** Centre of a travel lane; lane 0 is next to the centre line. */
    public double laneX(int side, int lane) {
        return sideSign(side) * (median / 2 + laneWidth * (lane + 0.5));
    }

    public double bikeX(int side) {
        return bike[side] > 0 ? sideSign(side) * (median / 2 + lanes * laneWidth + bike[side] / 2)
                : sideSign(side) * (median / 2 + lanes * laneWidth - 0.9);
    }

    public double parkingX(int side) {
        return sideSign(side) * (roadEdge[side] - parking[side] / 2);
    }

    /** The y range [lo, hi] of the zebra crossings of the main road next to the cross street, near or far side. */
    public double[] crossZebra(boolean far) {
        double inner = crossHalf + CURB;
        return far ? new double[]{yCross + inner + 0.3, yCross + inner + 0.3 + crossWalk}
                : new double[]{yCross - inner - 0.3 - crossWalk, yCross - inner - 0.3};
    }

    /** Whether y lies where the cross street cuts through the sidewalks and buildings. */
    public boolean inCrossGap(double y, double margin) {
        return hasCross() && Math.abs(y - yCross) < crossHalf + CURB + crossWalk + margin;
    }

    private void buildFacades(Rng rng) {
        double minFloors = rng.uniform(1, 3);
        double maxFloors = minFloors + rng.uniform(1, 5);
        boolean shops = rng.chance(0.7);
        double[] gaps = new double[0];
        if (hasCross()) {
            double g = crossHalf + CURB + crossWalk;
            gaps = new double[]{yCross - g, yCross + g};
        }
        for (int side = 0; side < 2; side++) {
            double[] sideGaps = gaps;
            if (lot != null && side == 1) {
                sideGaps = new double[]{WORLD_MIN_Y, lot.y0() - 15};
            }
            FacadePlane plane = FacadePlane.build(rng.fork(10 + side), true, sideSign(side) * facade[side],
                    -sideSign(side), WORLD_MIN_Y, WORLD_MAX_Y, sideGaps, minFloors, maxFloors, shops);
            facades.add(plane);
            addDoors(rng.fork(20 + side), plane);
            // A taller second row behind, seen over the roofs of low buildings from a high camera.
            double back = facade[side] + rng.uniform(18, 35);
            facades.add(FacadePlane.build(rng.fork(60 + side), true, sideSign(side) * back, -sideSign(side),
                    WORLD_MIN_Y, WORLD_MAX_Y, sideGaps, minFloors + 1, maxFloors + 4, false));
        }
        if (lot != null) {
            // Beside the lot the buildings stand at the sidewalk again.
            FacadePlane near = FacadePlane.build(rng.fork(12), true, walkOuter[1] + 0.01, -1, WORLD_MIN_Y, lot.y0() - 15,
                    new double[0], minFloors, maxFloors, shops);
            facades.add(near);
            addDoors(rng.fork(22), near);
            facades.add(FacadePlane.build(rng.fork(13), false, lot.y0() - 15, 1, walkOuter[1] + 0.01, facade[1],
                    new double[0], 1, 2, false));
        }
        if (hasCross()) {
            double g = crossHalf + CURB + crossWalk;
            for (int side = 0; side < 2; side++) {
                double from = side == 0 ? -400 : facade[1];
                double to = side == 0 ? -facade[0] : 400;
                facades.add(FacadePlane.build(rng.fork(30 + side), false, yCross - g, 1, from, to, new double[0],
                        minFloors, maxFloors, shops));
                facades.add(FacadePlane.build(rng.fork(40 + side), false, yCross + g, -1, from, to, new double[0],
                        minFloors, maxFloors, shops));
            }
        }
        if (rng.chance(0.3)) {
            // A closed vista: a row of buildings across the far end of the street.
            double yEnd = rng.uniform(160, 320);
            facades.add(FacadePlane.build(rng.fork(50), false, yEnd, -1, -facade[0] - 1, facade[1] + 1, new double[0],
                    2, 6, false));
        }
    }

    private void addDoors(Rng rng, FacadePlane plane) {
        for (int i = 0; i < plane.size(); i++) {
            double a = plane.start(i);
            double b = plane.end(i);
            if (b < -150 || a > 250) {
                continue;
            }
            int n = 1 + (int) ((b - a) / 14);
            for (int k = 0; k < n; k++) {
                double s = a + (b - a) * (k + 0.5) / n + rng.uniform(-1, 1);
                if (plane.alongY) {
                    doors.add(new Door(plane.coord + plane.facing * 0.3, s, plane.facing, 0));
                } else {
                    doors.add(new Door(s, plane.coord + plane.facing * 0.3, 0, plane.facing));
                }
            }
        }
    }

    private boolean nearCrossing(double y, double margin) {
        if (hasCross() && Math.abs(y - yCross) < crossHalf + CURB + crossWalk + margin) {
            return true;
        }
        if (hasZebra() && Math.abs(y - yZebra) < 2 + margin) {
            return true;
        }
        return lot != null && Math.abs(y - lot.yDrive()) < lot.driveWidth() / 2 + margin;
    }

    private void buildCurbSpots(Rng rng) {
        for (int side = 0; side < 2; side++) {
            if (parking[side] == 0) {
                continue;
            }
            double heading = side == 1 ? 0 : Math.PI;
            double y = -160 + rng.uniform(0, 6);
            while (y < 300) {
                double length = rng.uniform(5.6, 6.6);
                if (!nearCrossing(y, 6) && !(Math.abs(y - yBusStop) < 14 && side == 1)) {
                    curbSpots.add(new Spot(parkingX(side), y, heading));
                }
                y += length;
            }
        }
    }

    private void buildProps(Rng rng) {
        // Street lamps along the curbs, staggered.
        double lampSpacing = rng.uniform(24, 36);
        for (int side = 0; side < 2; side++) {
            double y = -200 + rng.uniform(0, lampSpacing) + side * lampSpacing / 2;
            for (; y < 400; y += lampSpacing) {
                if (!nearCrossing(y, 1)) {
                    props.add(new Prop(Prop.Kind.LAMP, sideSign(side) * (roadEdge[side] + CURB + 0.45), y,
                            side == 0 ? Math.PI / 2 : -Math.PI / 2, rng.uniform(7, 9.5), rng.nextLong()));
                }
            }
        }
        // Trees: a tree-lined street on zero, one or both sides.
        for (int side = 0; side < 2; side++) {
            if (!rng.chance(0.6)) {
                continue;
            }
            double spacing = rng.uniform(8, 16);
            double x = sideSign(side) * (verge[side] > 0 ? roadEdge[side] + CURB + verge[side] / 2
                    : walkInner[side] + 0.9);
            for (double y = -200 + rng.uniform(0, spacing); y < 400; y += spacing * rng.uniform(0.8, 1.25)) {
                if (!nearCrossing(y, 3) && !nearLamp(x, y, 3)) {
                    props.add(new Prop(Prop.Kind.TREE, x, y, rng.uniform(0, 6.28), rng.uniform(0.75, 1.3),
                            rng.nextLong()));
                }
            }
        }
        if (hasCross()) {
            for (int side = 0; side < 2; side++) {
                for (int far = 0; far < 2; far++) {
                    double y = yCross + (far == 1 ? 1 : -1) * (crossHalf + CURB + crossWalk + 0.6);
                    props.add(new Prop(Prop.Kind.TRAFFIC_LIGHT, sideSign(side) * (roadEdge[side] + CURB + 0.4), y,
                            far == 1 ? Math.PI : 0, rng.uniform(3.2, 4.2), rng.nextLong()));
                }
            }
        }
        if (hasZebra()) {
            for (int side = 0; side < 2; side++) {
                props.add(new Prop(Prop.Kind.SIGN, sideSign(side) * (roadEdge[side] + CURB + 0.4),
                        yZebra + (side == 0 ? 2.5 : -2.5), side == 1 ? 0 : Math.PI, 1, rng.nextLong()));
            }
        }
        // Smaller furniture on the curb side of the sidewalks.
        Prop.Kind[] small = {Prop.Kind.BENCH, Prop.Kind.BIN, Prop.Kind.BIN, Prop.Kind.HYDRANT, Prop.Kind.BOLLARD,
            Prop.Kind.PLANTER, Prop.Kind.SIGN, Prop.Kind.MAILBOX, Prop.Kind.CONE, Prop.Kind.FLAG};
        for (int side = 0; side < 2; side++) {
            int count = rng.between(14, 34);
            for (int i = 0; i < count; i++) {
                double y = rng.uniform(-120, 220);
                Prop.Kind k = small[rng.nextInt(small.length)];
                if (nearCrossing(y, 1.5) && k != Prop.Kind.BOLLARD) {
                    continue;
                }
                double x;
                double heading;
                if (k == Prop.Kind.CONE) {
                    x = sideSign(side) * (roadEdge[side] - rng.uniform(0.3, 1.2));
                    heading = rng.uniform(0, 6.28);
                } else if (k == Prop.Kind.FLAG) {
                    x = sideSign(side) * (facade[side] - 0.3);
                    heading = side == 0 ? Math.PI / 2 : -Math.PI / 2;
                } else {
                    x = sideSign(side) * (walkInner[side] + rng.uniform(0.35, 0.7));
                    heading = side == 0 ? Math.PI / 2 : -Math.PI / 2;
                }
                if (!nearLamp(x, y, 1.5)) {
                    props.add(new Prop(k, x, y, heading, rng.uniform(0.9, 1.1), rng.nextLong()));
                }
            }
            // Bollard rows at crossings stop cars driving onto the corner.
            if (hasCross() && rng.chance(0.5)) {
                for (int far = 0; far < 2; far++) {
                    double y0 = yCross + (far == 1 ? 1 : -1) * (crossHalf + CURB + crossWalk + 1.5);
                    for (int b = 0; b < 3; b++) {
                        props.add(new Prop(Prop.Kind.BOLLARD, sideSign(side) * (walkInner[side] + 0.3),
                                y0 + (far == 1 ? 1 : -1) * b * 1.4, 0, 1, rng.nextLong()));
                    }
                }
            }
        }
        // A bus shelter at the bus stop.
        if (rng.chance(0.6)) {
            props.add(new Prop(Prop.Kind.SHELTER, walkInner[1] + Math.min(walk[1] - 1.2, 1.8), yBusStop, -Math.PI / 2,
                    1, rng.nextLong()));
        }
        if (lot != null) {
            for (int i = 0; i < 4; i++) {
                props.add(new Prop(Prop.Kind.LAMP, lot.aisleX0() + 0.2 + (lot.aisleX1() - lot.aisleX0()) * (i % 2),
                        lot.y0() + 8 + i * 14, i % 2 == 0 ? -Math.PI / 2 : Math.PI / 2, 8, rng.nextLong()));
            }
            for (int i = 0; i < 5; i++) {
                props.add(new Prop(Prop.Kind.PLANTER, lot.x1() - 1.2, lot.y0() + 5 + i * 11, 0, 1, rng.nextLong()));
            }
        }
    }

    private boolean nearLamp(double x, double y, double distance) {
        for (Prop p : props) {
            if (Fast.hypot(p.x() - x, p.y() - y) < distance) {
                return true;
            }
        }
        return false;
    }
}
