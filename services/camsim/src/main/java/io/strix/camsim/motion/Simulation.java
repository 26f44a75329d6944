package io.strix.camsim.motion;

import io.strix.camsim.figure.DogLook;
import io.strix.camsim.figure.PersonFigure;
import io.strix.camsim.figure.PersonLook;
import io.strix.camsim.figure.TwoWheelerFigure;
import io.strix.camsim.figure.TwoWheelerLook;
import io.strix.camsim.figure.VehicleLook;
import io.strix.camsim.motion.Agent.Control;
import io.strix.camsim.motion.Agent.Gate;
import io.strix.camsim.motion.Agent.Leg;
import io.strix.camsim.motion.Agent.Role;
import io.strix.camsim.motion.Agent.Stop;
import io.strix.camsim.scenario.Scenario;
import io.strix.camsim.truth.ObjectClass;
import io.strix.camsim.world.Fast;
import io.strix.camsim.world.Layout;
import io.strix.camsim.world.Rng;
import io.strix.camsim.world.Scene;
import io.strix.camsim.world.Weather;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Everything that moves in a scene: vehicles that follow their lanes with the Intelligent Driver Model, stop at red
 * lights, zebras and bus stops, turn at the crossing, park and pull out; pedestrians who walk the sidewalks, wait
 * for the walk signal or a gap, cross, jaywalk, stand about, walk dogs, go in and out of doors and to their cars;
 * cyclists and motorcyclists with their riders. Objects enter and leave at the far ends of the streets, outside the
 * picture. Deterministic: one seeded random stream, agents updated in the order they were created.
 */
public final class Simulation {
    private static final double GREEN_MAIN = 26;
    private static final double AMBER = 3;
    private static final double ALL_RED = 2;
    private static final double GREEN_CROSS = 20;
    private static final double CYCLE = GREEN_MAIN + AMBER + ALL_RED + GREEN_CROSS + AMBER + ALL_RED;
    private static final double ROAD_MIN_Y = -160;
    private static final double ROAD_MAX_Y = 320;
    private static final double WALK_MIN_Y = -95;
    private static final double WALK_MAX_Y = 150;
    private static final double CROSS_END = 160;

    /** State of a traffic light. */
    public enum Light { RED, AMBER, GREEN }

    private final Scene scene;
    private final Layout layout;
    private final Scenario scenario;
    private final Rng rng;
    private final List<Agent> agents = new ArrayList<>();
    private final List<Agent> born = new ArrayList<>();
    private final Agent[] spotOwner;
    private final List<Layout.Spot> spots = new ArrayList<>();
    private final boolean raining;
    private final double cycleOffset;
    private int nextId = 1;
    private double time;
    private boolean zebraBusy;

    public Simulation(Scene scene) {
        this(scene, false);
    }

    /**
     * An empty world for staging scenes by hand (tests, demos): nothing spawns, objects come only from
     * {@link #addStill}.
     */
    public static Simulation staged(Scene scene) {
        return new Simulation(scene, true);
    }

    private final boolean staged;

    private Simulation(Scene scene, boolean staged) {
        this.staged = staged;
        this.scene = scene;
        this.layout = scene.layout;
        this.scenario = scene.scenario;
        this.rng = new Rng(Rng.hash(scene.seed, 0x51A7L));
        this.raining = scene.lighting.weather == Weather.RAIN;
        this.cycleOffset = rng.uniform(0, CYCLE);
        spots.addAll(layout.curbSpots);
        if (layout.lot != null) {
            spots.addAll(layout.lot.stalls());
        }
        spotOwner = new Agent[spots.size()];
        if (staged) {
            return;
        }
        populate();
        // Let traffic settle into queues and gaps before the first frame.
        for (int i = 0; i < 60; i++) {
            step(0.5);
        }
        time = 0;
    }

    /** Seconds since the first frame. */
    public double time() {
        return time;
    }

    /** Agents in the world now, in creation order (riders after their mounts, dogs after their owners). */
    public List<Agent> agents() {
        return Collections.unmodifiableList(agents);
    }

    public Scene scene() {
        return scene;
    }

    /** The lights facing traffic on the main road (cross street: {@link #crossLight}). */
    public Light mainLight() {
        double u = cyclePosition();
        return u < GREEN_MAIN ? Light.GREEN : (u < GREEN_MAIN + AMBER ? Light.AMBER : Light.RED);
    }

    public Light crossLight() {
        double u = cyclePosition() - GREEN_MAIN - AMBER - ALL_RED;
        return u < 0 ? Light.RED : (u < GREEN_CROSS ? Light.GREEN : (u < GREEN_CROSS + AMBER ? Light.AMBER
                : Light.RED));
    }

    private double cyclePosition() {
        double u = (time + cycleOffset) % CYCLE;
        return u < 0 ? u + CYCLE : u;
    }

    /** Advances the world by dt seconds. */
    public void step(double dt) {
        time += dt;
        zebraBusy = computeZebraBusy();
        buildGrid();
        for (int i = 0; i < agents.size(); i++) {
            Agent a = agents.get(i);
            if (a.removed) {
                continue;
            }
            switch (a.role) {
                case DRIVE -> drive(a, dt);
                case WALK -> walk(a, dt);
                case STAND -> stand(a, dt);
                case PARKED -> parked(a);
                default -> {
                }
            }
        }
        for (Agent a : agents) {
            if (a.removed) {
                continue;
            }
            if (a.role == Role.RIDE) {
                ride(a);
            } else if (a.role == Role.FOLLOW) {
                follow(a, dt);
            }
        }
        if (!staged) {
            spawn(dt);
        }
        agents.addAll(born);
        born.clear();
        agents.removeIf(a -> a.removed);
    }

    /**
     * Adds an object that stays where it is put: a parked vehicle, or a person or dog standing still.
     *
     * @param look a {@link PersonLook}, {@link VehicleLook}, {@link TwoWheelerLook} or {@link DogLook}
     */
    public Agent addStill(ObjectClass objectClass, Object look, double x, double y, double heading) {
        Agent a;
        if (look instanceof PersonLook p) {
            a = newPerson(p);
            a.role = Role.STAND;
            a.pose = PersonFigure.Pose.STAND;
        } else if (look instanceof DogLook d) {
            a = new Agent(nextId++, objectClass, d, d.length(), 0.3);
            a.role = Role.STAND;
        } else {
            a = newVehicle(objectClass, look);
            a.role = Role.PARKED;
        }
        a.x = x;
        a.y = y;
        a.heading = heading;
        agents.add(a);
        return a;
    }

    // ---------------------------------------------------------------- population

    private void populate() {
        // Parked cars.
        for (int i = 0; i < spots.size(); i++) {
            if (rng.chance(scenario.parked())) {
                Layout.Spot spot = spots.get(i);
                Agent car = newVehicle(ObjectClass.CAR, VehicleLook.car(rng));
                car.role = Role.PARKED;
                car.x = spot.x();
                car.y = spot.y();
                car.heading = spot.heading();
                car.spot = i;
                spotOwner[i] = car;
                if (rng.chance(0.25)) {
                    car.leaveAt = rng.uniform(5, 400);
                }
                agents.add(car);
            }
        }
        // Bicycles and motorcycles parked on the sidewalks' furniture strip.
        int parkedBikes = poisson(2.0 * scenario.rate(ObjectClass.BICYCLE) / 4 + scenario.rate(ObjectClass.MOTORCYCLE) / 4);
        for (int i = 0; i < parkedBikes; i++) {
            int side = rng.nextInt(2);
            double y = rng.uniform(-40, 90);
            if (layout.inCrossGap(y, 2) || layout.lot != null && Math.abs(y - layout.lot.yDrive()) < 5) {
                continue;
            }
            boolean motor = rng.chance(0.35);
            double x = Layout.sideSign(side) * (layout.walkInner[side] + (motor ? 0.45 : 0.35));
            Agent bike = newVehicle(motor ? ObjectClass.MOTORCYCLE : ObjectClass.BICYCLE,
                    motor ? TwoWheelerLook.motorcycle(rng) : TwoWheelerLook.bicycle(rng));
            bike.role = Role.PARKED;
            bike.x = x;
            bike.y = y;
            // Along the curb, out of the walkers' way.
            bike.heading = (rng.chance(0.5) ? 0 : Math.PI) + rng.uniform(-0.15, 0.15);
            agents.add(bike);
        }
        // Vehicles already on the road.
        for (ObjectClass c : new ObjectClass[]{ObjectClass.CAR, ObjectClass.BUS, ObjectClass.TRUCK,
            ObjectClass.MOTORCYCLE, ObjectClass.BICYCLE}) {
            double perMinute = scenario.rate(c);
            // Expected number on the road: rate times the time it takes to drive through.
            double speed = c == ObjectClass.BICYCLE ? 5 : 11;
            int count = poisson(perMinute / 60 * (ROAD_MAX_Y - ROAD_MIN_Y) / speed * 0.8);
            for (int i = 0; i < count; i++) {
                Agent v = spawnVehicle(c, rng.uniform(0.02, 0.95));
                if (v != null) {
                    agents.add(v);
                    agents.addAll(born);
                    born.clear();
                }
            }
        }
        // Pedestrians already walking.
        double walkers = scenario.rate(ObjectClass.PERSON) / 60 * (WALK_MAX_Y - WALK_MIN_Y) / 1.35 * 0.7;
        int count = poisson(walkers);
        for (int i = 0; i < count; i++) {
            spawnWalker(rng.uniform(0.02, 0.95));
        }
        int dogs = poisson(scenario.rate(ObjectClass.DOG) / 60 * (WALK_MAX_Y - WALK_MIN_Y) / 1.1 * 0.7);
        for (int i = 0; i < dogs; i++) {
            spawnDogWalker(rng.uniform(0.02, 0.95));
        }
        // People standing about.
        int standing = poisson(scenario.standing() * 2 * (WALK_MAX_Y - WALK_MIN_Y) / 100 * 0.6);
        for (int i = 0; i < standing; i++) {
            spawnStanding();
        }
        agents.addAll(born);
        born.clear();
    }

    private int poisson(double mean) {
        if (mean <= 0) {
            return 0;
        }
        double l = Math.exp(-Math.min(mean, 500));
        int k = 0;
        double p = 1;
        do {
            k++;
            p *= rng.nextDouble();
        } while (p > l && k < 1000);
        return k - 1;
    }

    private void spawn(double dt) {
        for (ObjectClass c : new ObjectClass[]{ObjectClass.CAR, ObjectClass.BUS, ObjectClass.TRUCK,
            ObjectClass.MOTORCYCLE, ObjectClass.BICYCLE}) {
            if (rng.chance(scenario.rate(c) / 60 * dt)) {
                Agent v = spawnVehicle(c, 0);
                if (v != null) {
                    born.add(v);
                }
            }
        }
        if (rng.chance(scenario.rate(ObjectClass.PERSON) / 60 * dt)) {
            spawnWalker(0);
        }
        if (rng.chance(scenario.rate(ObjectClass.DOG) / 60 * dt)) {
            spawnDogWalker(0);
        }
        if (rng.chance(scenario.standing() / 60 * dt * 0.4)) {
            spawnStanding();
        }
    }

    private Agent newVehicle(ObjectClass c, Object look) {
        double length;
        double width;
        if (look instanceof VehicleLook v) {
            length = v.length();
            width = v.width();
        } else {
            TwoWheelerLook t = (TwoWheelerLook) look;
            length = t.length();
            width = t.width();
        }
        Agent a = new Agent(nextId++, c, look, length, width);
        a.role = Role.DRIVE;
        return a;
    }

    private Agent newPerson(PersonLook look) {
        Agent a = new Agent(nextId++, ObjectClass.PERSON, look, 0.35, 0.5);
        a.role = Role.WALK;
        a.desiredSpeed = look.height() < 1.4 ? rng.uniform(0.9, 1.5) : rng.normal(1.38, 0.18, 0.8, 2.0);
        if (rng.chance(0.03)) {
            a.desiredSpeed = rng.uniform(2.6, 3.4);
        }
        return a;
    }

    // ---------------------------------------------------------------- vehicles

    /**
     * A vehicle on a fresh route; placed at the given fraction of the route (0 = at its start, off-screen).
     */
    private Agent spawnVehicle(ObjectClass c, double fraction) {
        Object look = switch (c) {
            case BUS -> VehicleLook.bus(rng);
            case TRUCK -> VehicleLook.truck(rng);
            case MOTORCYCLE -> TwoWheelerLook.motorcycle(rng);
            case BICYCLE -> TwoWheelerLook.bicycle(rng);
            default -> VehicleLook.car(rng);
        };
        ObjectClass objectClass = c;
        if (look instanceof VehicleLook v && (v.type() == VehicleLook.Type.PICKUP
                || v.type() == VehicleLook.Type.BOX_TRUCK)) {
            objectClass = ObjectClass.TRUCK;
        }
        Agent a = newVehicle(objectClass, look);
        boolean twoWheeler = look instanceof TwoWheelerLook;
        a.desiredSpeed = switch (c) {
            case BICYCLE -> rng.uniform(3.8, 6.5);
            case MOTORCYCLE -> rng.uniform(9, 14);
            case BUS -> rng.uniform(7.5, 10.5);
            case TRUCK -> rng.uniform(8, 11.5);
            default -> rng.uniform(8.5, 13.5);
        };
        int side;
        boolean cross = layout.hasCross() && rng.chance(0.25);
        List<Leg> legs = new ArrayList<>();
        boolean parking = false;
        int spotIndex = -1;
        if (c == ObjectClass.CAR && fraction == 0 && rng.chance(0.3)) {
            spotIndex = freeSpot();
        }
        if (spotIndex >= 0) {
            parking = true;
            legs.addAll(routeToSpot(spotIndex));
        } else if (cross) {
            boolean fromWest = rng.chance(0.5);
            legs.add(crossRoute(fromWest, rng.weighted(5, 2), twoWheeler, c == ObjectClass.BICYCLE));
        } else {
            side = rng.nextInt(2);
            int lane = twoWheeler && c == ObjectClass.BICYCLE ? layout.lanes - 1 : rng.nextInt(layout.lanes);
            if (c == ObjectClass.BUS || c == ObjectClass.TRUCK) {
                lane = layout.lanes - 1;
            }
            // Right turns only: left turns across oncoming traffic would need gap acceptance.
            int turn = layout.hasCross() && rng.chance(0.3) ? 1 : 0;
            legs.add(mainRoute(side, lane, turn, c == ObjectClass.BICYCLE, c == ObjectClass.BUS));
        }
        a.legs.addAll(legs);
        a.parkAtEnd = parking;
        a.spot = spotIndex;
        if (spotIndex >= 0) {
            spotOwner[spotIndex] = a;
        }
        if (c == ObjectClass.BICYCLE) {
            a.lateral = layout.bike[0] > 0 ? 0 : 0;
        }
        if (c == ObjectClass.MOTORCYCLE) {
            a.lateral = rng.uniform(-0.6, 0.6);
        }
        Leg first = a.legs.get(0);
        a.s = fraction * first.path().length();
        a.speed = fraction > 0 ? a.desiredSpeed * rng.uniform(0.6, 1.0) : a.desiredSpeed * 0.9;
        place(a);
        if (fraction > 0 && !clearOf(a, 12)) {
            releaseSpot(a);
            return null;
        }
        if (fraction == 0 && !clearOf(a, 14)) {
            releaseSpot(a);
            nextId--;
            return null;
        }
        if (twoWheeler) {
            TwoWheelerLook t = (TwoWheelerLook) look;
            PersonLook riderLook = PersonLook.random(rng, false, false);
            if (t.motor() || rng.chance(0.35)) {
                riderLook = riderLook.withHelmet(t.motor() ? Palettes.helmet(rng) : Palettes.bikeHelmet(rng));
            }
            Agent rider = new Agent(nextId++, ObjectClass.PERSON, riderLook, 0.8, 0.5);
            rider.role = Role.RIDE;
            rider.mount = a;
            rider.pose = t.motor() ? PersonFigure.Pose.MOTORCYCLE : PersonFigure.Pose.BICYCLE;
            double[] seat = TwoWheelerFigure.seat(t);
            rider.seatOffset = seat[0];
            rider.seatHeight = seat[1];
            ride(rider);
            born.add(rider);
        }
        return a;
    }

    private void releaseSpot(Agent a) {
        if (a.spot >= 0 && spotOwner[a.spot] == a) {
            spotOwner[a.spot] = null;
        }
    }

    private int freeSpot() {
        List<Integer> free = new ArrayList<>();
        for (int i = 0; i < spots.size(); i++) {
            Layout.Spot s = spots.get(i);
            if (spotOwner[i] == null && s.y() > -60 && s.y() < 120 && approachFree(i)) {
                free.add(i);
            }
        }
        return free.isEmpty() ? -1 : free.get(rng.nextInt(free.size()));
    }

    /** A curb place can be driven into only when the place before it (in the direction of travel) is empty too. */
    private boolean approachFree(int index) {
        if (index >= layout.curbSpots.size()) {
            return true;
        }
        Layout.Spot spot = spots.get(index);
        double dir = spot.x() > 0 ? 1 : -1;
        for (int i = 0; i < layout.curbSpots.size(); i++) {
            Layout.Spot other = spots.get(i);
            double before = (spot.y() - other.y()) * dir;
            if (i != index && spotOwner[i] != null && Math.abs(other.x() - spot.x()) < 0.5 && before > 0
                    && before < 13) {
                return false;
            }
        }
        return true;
    }

    private boolean clearOf(Agent a, double distance) {
        for (Agent o : agents) {
            if (o != a && !o.removed && o.role != Role.RIDE && Math.abs(o.x - a.x) < distance
                    && Math.abs(o.y - a.y) < distance && isVehicle(o)
                    && Fast.hypot(o.x - a.x, o.y - a.y) < distance * 0.6 + (o.length + a.length) / 2) {
                return false;
            }
        }
        for (Agent o : born) {
            if (o != a && isVehicle(o) && Fast.hypot(o.x - a.x, o.y - a.y) < distance) {
                return false;
            }
        }
        return true;
    }

    private static boolean isVehicle(Agent a) {
        return a.objectClass != ObjectClass.PERSON && a.objectClass != ObjectClass.DOG;
    }

    /** Main road, one direction (side 1 drives towards +y), straight on or turning at the cross street. */
    private Leg mainRoute(int side, int lane, int turn, boolean bicycle, boolean bus) {
        double dir = side == 1 ? 1 : -1;
        double x = bicycle ? layout.bikeX(side) + (layout.bike[side] > 0 ? 0 : dir * 0.25) : layout.laneX(side, lane);
        double y0 = dir > 0 ? ROAD_MIN_Y : ROAD_MAX_Y;
        double y1 = dir > 0 ? ROAD_MAX_Y : ROAD_MIN_Y;
        Path.Builder b = Path.from(x, y0);
        if (turn != 0 && layout.hasCross()) {
            double yc = layout.yCross;
            // Right turns go to the near cross lane, left turns across to the far one.
            boolean toEast = (dir > 0) == (turn > 0);
            double laneY = toEast ? yc - 1.7 : yc + 1.7;
            double start = yc - dir * (layout.crossHalf + 7);
            double exitX = (toEast ? 1 : -1) * (Math.max(layout.roadEdge[0], layout.roadEdge[1]) + 6);
            b.to(x, start).curve(x, laneY, exitX, laneY).to((toEast ? 1 : -1) * CROSS_END, laneY);
        } else {
            b.to(x, y1);
        }
        Path path = b.build();
        return new Leg(path, false, Gate.NONE, stopsFor(path, bus && side == 1));
    }

    /** Cross street from the west (driving +x) or east, straight on (0), right (1) or left (2). */
    private Leg crossRoute(boolean fromWest, int how, boolean twoWheeler, boolean bicycle) {
        double yc = layout.yCross;
        double laneY = fromWest ? yc - 1.7 : yc + 1.7;
        double x0 = fromWest ? -CROSS_END : CROSS_END;
        double dirX = fromWest ? 1 : -1;
        Path.Builder b = Path.from(x0, laneY);
        if (how == 0) {
            b.to(-x0, laneY);
        } else {
            boolean right = how == 1;
            // Driving +x, a right turn heads -y on side 0's lanes; driving -x, a right turn heads +y on side 1's.
            int side = fromWest == right ? 0 : 1;
            double dirY = side == 1 ? 1 : -1;
            double laneX = layout.laneX(side, right ? layout.lanes - 1 : 0);
            double startX = laneX - dirX * (layout.roadEdge[side] + 7);
            if (right) {
                startX = -dirX * (layout.walkOuter[fromWest ? 0 : 1] + 4);
            }
            b.to(startX, laneY).curve(laneX, laneY, laneX, laneY + dirY * (layout.crossHalf + 7))
                    .to(laneX, dirY > 0 ? ROAD_MAX_Y : ROAD_MIN_Y);
        }
        Path path = b.build();
        return new Leg(path, false, Gate.NONE, stopsFor(path, false));
    }

    private List<double[]> crosswalks;

    /** The zebra crossings of the intersection as rectangles {x0, y0, x1, y1}. */
    private List<double[]> crosswalks() {
        if (crosswalks == null) {
            crosswalks = new ArrayList<>();
            Layout l = layout;
            if (l.hasCross()) {
                for (boolean far : new boolean[]{false, true}) {
                    double[] z = l.crossZebra(far);
                    crosswalks.add(new double[]{-l.roadEdge[0], z[0], l.roadEdge[1], z[1]});
                }
                crosswalks.add(new double[]{-l.walkOuter[0], l.yCross - l.crossHalf, -l.walkInner[0],
                    l.yCross + l.crossHalf});
                crosswalks.add(new double[]{l.walkInner[1], l.yCross - l.crossHalf, l.walkOuter[1],
                    l.yCross + l.crossHalf});
            }
        }
        return crosswalks;
    }

    private boolean peopleOn(double[] area) {
        for (Agent p : agents) {
            if (p.objectClass == ObjectClass.PERSON && p.role == Role.WALK && !p.waiting && p.x >= area[0] - 0.8
                    && p.x <= area[2] + 0.8 && p.y >= area[1] - 0.8 && p.y <= area[3] + 0.8) {
                return true;
            }
        }
        return false;
    }

    /** Where a vehicle on this path meets stop lines, zebras and the bus stop. */
    private List<Stop> stopsFor(Path path, boolean busStop) {
        List<Stop> stops = new ArrayList<>();
        Layout l = layout;
        double half = Math.max(l.roadEdge[0], l.roadEdge[1]);
        if (l.hasCross()) {
            double[] near = l.crossZebra(false);
            double[] far = l.crossZebra(true);
            double s1 = path.crossingY(near[0] - 1.3, 0, half);
            if (!Double.isNaN(s1) && path.heading(s1 + 0.5) < Math.PI / 2 && path.heading(s1 + 0.5) > -Math.PI / 2) {
                stops.add(new Stop(s1, Control.MAIN_SIGNAL));
            }
            double s0 = path.crossingY(far[1] + 1.3, -half, 0);
            if (!Double.isNaN(s0) && Math.abs(path.heading(s0 + 0.5)) > Math.PI / 2) {
                stops.add(new Stop(s0, Control.MAIN_SIGNAL));
            }
            double w = path.crossingX(-(l.walkOuter[0] + 1.4), l.yCross - l.crossHalf, l.yCross);
            if (!Double.isNaN(w) && path.heading(w + 0.5) > 0) {
                stops.add(new Stop(w, Control.CROSS_SIGNAL));
            }
            double e = path.crossingX(l.walkOuter[1] + 1.4, l.yCross, l.yCross + l.crossHalf);
            if (!Double.isNaN(e) && path.heading(e + 0.5) < 0) {
                stops.add(new Stop(e, Control.CROSS_SIGNAL));
            }
        }
        if (l.hasZebra()) {
            double s1 = path.crossingY(l.yZebra - 3.5, 0, half);
            if (!Double.isNaN(s1) && Math.abs(path.heading(s1 + 0.5)) < Math.PI / 2) {
                stops.add(new Stop(s1, Control.ZEBRA));
            }
            double s0 = path.crossingY(l.yZebra + 3.5, -half, 0);
            if (!Double.isNaN(s0) && Math.abs(path.heading(s0 + 0.5)) > Math.PI / 2) {
                stops.add(new Stop(s0, Control.ZEBRA));
            }
        }
        // Give way to people on the crossings of the intersection (turning traffic meets them on its green).
        for (double[] area : crosswalks()) {
            for (double s = 0; s < path.length(); s += 0.5) {
                double x = path.x(s);
                double y = path.y(s);
                if (x >= area[0] - 0.5 && x <= area[2] + 0.5 && y >= area[1] - 0.5 && y <= area[3] + 0.5) {
                    if (s > 3) {
                        stops.add(new Stop(s - 1.5, Control.CROSSWALK, area));
                    }
                    break;
                }
            }
        }
        if (busStop) {
            double s = path.crossingY(l.yBusStop, 0, half);
            if (!Double.isNaN(s)) {
                stops.add(new Stop(s, Control.BUS_STOP));
            }
        }
        stops.sort((a, b) -> Double.compare(a.s(), b.s()));
        return stops;
    }

    /** From the start of a lane into a free curb place or lot stall, ending parked there. */
    private List<Leg> routeToSpot(int index) {
        Layout.Spot spot = spots.get(index);
        List<Leg> legs = new ArrayList<>();
        if (index < layout.curbSpots.size()) {
            int side = spot.x() > 0 ? 1 : 0;
            double dir = side == 1 ? 1 : -1;
            double lane = layout.laneX(side, layout.lanes - 1);
            double y0 = dir > 0 ? ROAD_MIN_Y : ROAD_MAX_Y;
            Path path = Path.from(lane, y0).to(lane, spot.y() - dir * 16)
                    .curve(lane, spot.y() - dir * 8, spot.x(), spot.y() - dir * 3).to(spot.x(), spot.y()).build();
            legs.add(new Leg(path, false, Gate.NONE, stopsFor(path, false)));
        } else {
            Layout.ParkingLot lot = layout.lot;
            double lane = layout.laneX(1, 0);
            double aisle = (lot.aisleX0() + lot.aisleX1()) / 2;
            double k = spot.y() > lot.yDrive() ? 1 : -1;
            Path.Builder b = Path.from(lane, ROAD_MIN_Y).to(lane, lot.yDrive() - 10)
                    .curve(lane, lot.yDrive(), layout.roadEdge[1] + 3, lot.yDrive()).to(aisle - 3, lot.yDrive());
            double approach = spot.y() - k * 6;
            if (Math.abs(approach - lot.yDrive()) > 4) {
                b.curve(aisle, lot.yDrive(), aisle, lot.yDrive() + k * 4).to(aisle, approach);
            } else {
                b.to(aisle, lot.yDrive());
            }
            b.curve(aisle, spot.y(), spot.x() - Math.signum(spot.x() - aisle) * 1.0, spot.y()).to(spot.x(), spot.y());
            Path path = b.build();
            legs.add(new Leg(path, false, Gate.NONE, stopsFor(path, false)));
        }
        return legs;
    }

    /** A parked car pulls out: from a curb place into the lane, or reversing out of a stall and off to the road. */
    private void depart(Agent car) {
        Layout.Spot spot = spots.get(car.spot);
        car.legs.clear();
        car.legIndex = 0;
        car.s = 0;
        if (car.spot < layout.curbSpots.size()) {
            int side = spot.x() > 0 ? 1 : 0;
            double dir = side == 1 ? 1 : -1;
            double lane = layout.laneX(side, layout.lanes - 1);
            Path path = Path.from(spot.x(), spot.y()).curve(spot.x(), spot.y() + dir * 5, lane, spot.y() + dir * 11)
                    .to(lane, dir > 0 ? ROAD_MAX_Y : ROAD_MIN_Y).build();
            car.legs.add(new Leg(path, false, Gate.NONE, stopsFor(path, false)));
        } else {
            Layout.ParkingLot lot = layout.lot;
            double aisle = (lot.aisleX0() + lot.aisleX1()) / 2;
            double k = spot.y() > lot.yDrive() ? 1 : -1;
            Path back = Path.from(spot.x(), spot.y()).curve(aisle, spot.y(), aisle, spot.y() + k * 5).build();
            car.legs.add(new Leg(back, true, Gate.NONE, List.of()));
            double lane = layout.laneX(1, 0);
            Path out = Path.from(aisle, spot.y() + k * 5).to(aisle, lot.yDrive() + k * 4)
                    .curve(aisle, lot.yDrive(), aisle - 4, lot.yDrive())
                    .to(layout.roadEdge[1] + 3, lot.yDrive()).curve(lane, lot.yDrive(), lane, lot.yDrive() + 9)
                    .to(lane, ROAD_MAX_Y).build();
            car.legs.add(new Leg(out, false, Gate.NONE, stopsFor(out, false)));
        }
        spotOwner[car.spot] = null;
        car.spot = -1;
        car.role = Role.DRIVE;
        car.pulledOut = true;
        car.desiredSpeed = rng.uniform(8, 12);
        car.speed = 0;
        car.parkAtEnd = false;
    }

    private void parked(Agent a) {
        a.speed = 0;
        a.braking = false;
        if (time >= a.leaveAt) {
            // Pull out only when the lane behind is clear.
            for (Agent o : agents) {
                if (o != a && o.role == Role.DRIVE && Fast.hypot(o.x - a.x, o.y - a.y) < 25) {
                    a.leaveAt = time + 2;
                    return;
                }
            }
            depart(a);
        }
    }

    private void drive(Agent a, double dt) {
        Leg leg = a.leg();
        if (leg == null) {
            finish(a);
            return;
        }
        double moveHeading = leg.reverse() ? a.heading + Math.PI : a.heading;
        // Two probes: straight ahead from here, and along the path from a point 8 m on (for curves).
        double probe = 8;
        double ahead = Math.min(leg.path().length(), a.s + probe);
        double px2 = leg.path().x(ahead);
        double py2 = leg.path().y(ahead);
        double h2 = leg.reverse() ? moveHeading : leg.path().heading(ahead);
        double gap = 300;
        double leaderSpeed = 0;
        // Squeezing into a parking place or backing out of one, neighbours' bumpers come close.
        boolean pushing = time < a.pushUntil;
        boolean parkingManoeuvre = leg.reverse() || (a.parkAtEnd && a.legIndex == a.legs.size() - 1
                && leg.path().length() - a.s < 14) || (a.legIndex == 0 && a.s < 12 && a.legs.size() > 0
                && startedParked(a));
        for (Agent o : agents) {
            if (o == a || o.removed || o.role == Role.RIDE) {
                continue;
            }
            double dx = o.x - a.x;
            double dy = o.y - a.y;
            if (dx > 60 || dx < -60 || dy > 60 || dy < -60) {
                continue;
            }
            boolean person = o.objectClass == ObjectClass.PERSON || o.objectClass == ObjectClass.DOG;
            if (person && (pushing || (o.role == Role.WALK || o.role == Role.STAND || o.role == Role.FOLLOW)
                    && (o.waiting || !onRoad(o)))) {
                continue;
            }
            if (o.role == Role.PARKED && parkingManoeuvre) {
                continue;
            }
            double halfWidth = person ? a.width / 2 + 0.5 : a.width / 2 + o.width / 2 + 0.1;
            double g = corridorGap(a, o, a.x, a.y, moveHeading, 0, probe, halfWidth, person);
            if (ahead - a.s > 1) {
                g = Math.min(g, corridorGap(a, o, px2, py2, h2, ahead - a.s, 60, halfWidth, person));
            }
            if (g < gap) {
                gap = g;
                leaderSpeed = Math.max(0, o.speed * Math.cos(o.heading - moveHeading));
            }
        }
        double agentGap = gap;
        for (Stop stop : leg.stops()) {
            double dist = stop.s() - a.s - a.length / 2;
            if (dist < -0.5 || dist > gap) {
                continue;
            }
            boolean yield = stop.control() == Control.CROSSWALK || stop.control() == Control.ZEBRA;
            if ((!pushing || !yield) && mustStop(a, stop, dist)) {
                gap = Math.max(0, dist);
                leaderSpeed = 0;
            }
        }
        double remaining = leg.path().length() - a.s;
        boolean lastLeg = a.legIndex == a.legs.size() - 1;
        if ((a.parkAtEnd && lastLeg) || !lastLeg) {
            // Aim just past the end, so the car arrives there instead of creeping up to it.
            double g = remaining + 0.4;
            if (g < gap) {
                gap = g;
                leaderSpeed = 0;
            }
        }
        double maxAccel = switch (a.objectClass) {
            case BUS, TRUCK -> 1.1;
            case BICYCLE -> 1.0;
            case MOTORCYCLE -> 2.6;
            default -> 1.9;
        };
        double comfort = 2.6;
        double v = a.speed;
        double v0 = leg.reverse() ? 1.6 : a.desiredSpeed;
        double minGap = (a.parkAtEnd && lastLeg) || !lastLeg ? 0.2 : (a.objectClass == ObjectClass.BICYCLE || a.objectClass == ObjectClass.MOTORCYCLE ? 1.2 : 2.0);
        double sStar = minGap + Math.max(0, v * 1.3 + v * (v - leaderSpeed) / (2 * Math.sqrt(maxAccel * comfort)));
        double acc = maxAccel * (1 - Math.pow(v / v0, 4) - Math.pow(sStar / Math.max(gap, 0.05), 2));
        acc = Math.max(-9, acc);
        v = Math.max(0, v + acc * dt);
        if (gap < 0.05) {
            v = 0;
        }
        a.speed = v;
        a.braking = acc < -1.0 || (v < 0.4 && gap < 10);
        // Waiting for someone who waits for us: after a while, creep on.
        boolean forOthers = agentGap <= gap + 1e-9 || isYieldStopBinding(a, leg, gap);
        a.stuck = v < 0.1 && forOthers ? a.stuck + dt : 0;
        if (a.stuck > 10) {
            a.pushUntil = time + 4;
            a.stuck = 0;
        }
        a.s += v * dt;
        if (a.objectClass == ObjectClass.BICYCLE) {
            a.phase += v * dt / 4.4 * 2 * Math.PI;
        }
        if (a.s >= leg.path().length() - (lastLeg && a.parkAtEnd ? 0.15 : 0)) {
            if (!lastLeg) {
                if (v < 0.3 || a.s >= leg.path().length()) {
                    a.s = 0;
                    a.legIndex++;
                    a.speed = 0;
                }
            } else if (a.parkAtEnd) {
                a.s = leg.path().length();
                park(a);
            } else {
                finish(a);
                return;
            }
        }
        place(a);
        a.turn = turnAhead(a);
    }

    /**
     * Gap to another agent inside a straight corridor from (x, y) along heading, starting `offset` metres along the
     * route and reaching `reach` metres further; infinite when it is not in the corridor.
     */
    private static double corridorGap(Agent a, Agent o, double x, double y, double heading, double offset,
                                      double reach, double halfWidth, boolean person) {
        double sh = Math.sin(heading);
        double ch = Math.cos(heading);
        double dx = o.x - x;
        double dy = o.y - y;
        double fwd = dx * sh + dy * ch;
        double lat = dx * ch - dy * sh;
        if (fwd <= (offset > 0 ? -o.length / 2 : 0) || fwd > reach || Math.abs(lat) > halfWidth) {
            return Double.POSITIVE_INFINITY;
        }
        return offset + fwd - a.length / 2 - (person ? 0.4 : o.length / 2);
    }

    private static boolean startedParked(Agent a) {
        return a.pulledOut;
    }

    private boolean onRoad(Agent p) {
        double ax = Math.abs(p.x);
        int side = p.x < 0 ? 0 : 1;
        if (ax < layout.roadEdge[side] + 0.2) {
            return true;
        }
        return layout.hasCross() && Math.abs(p.y - layout.yCross) < layout.crossHalf + 0.2;
    }

    private boolean mustStop(Agent a, Stop stop, double dist) {
        double brakingDistance = a.speed * a.speed / (2 * 3.5);
        return switch (stop.control()) {
            case MAIN_SIGNAL -> light(mainLight(), dist, brakingDistance);
            case CROSS_SIGNAL -> light(crossLight(), dist, brakingDistance);
            case ZEBRA -> zebraBusy && dist > brakingDistance * 0.6 - 1;
            case CROSSWALK -> dist > brakingDistance * 0.5 - 1 && peopleOn(stop.area());
            case BUS_STOP -> {
                if (a.stopUntil < 0) {
                    yield false;
                }
                if (a.stopUntil > 0) {
                    if (time >= a.stopUntil) {
                        a.stopUntil = -1;
                        yield false;
                    }
                    yield true;
                }
                if (dist < 3 && a.speed < 0.3) {
                    a.stopUntil = time + rng.uniform(8, 18);
                }
                yield true;
            }
        };
    }

    private boolean isYieldStopBinding(Agent a, Leg leg, double gap) {
        for (Stop stop : leg.stops()) {
            double dist = stop.s() - a.s - a.length / 2;
            if ((stop.control() == Control.CROSSWALK || stop.control() == Control.ZEBRA)
                    && Math.abs(Math.max(0, dist) - gap) < 1e-6) {
                return true;
            }
        }
        return false;
    }

    private static boolean light(Light light, double dist, double brakingDistance) {
        return switch (light) {
            case GREEN -> false;
            case AMBER -> dist > brakingDistance;
            case RED -> dist > -0.3;
        };
    }

    private int turnAhead(Agent a) {
        Leg leg = a.leg();
        if (leg == null || leg.reverse()) {
            return 0;
        }
        double ahead = Math.min(leg.path().length(), a.s + 30);
        double d = angle(leg.path().heading(ahead) - leg.path().heading(a.s));
        if (Math.abs(d) < 0.5) {
            return 0;
        }
        return d > 0 ? 1 : -1;
    }

    private static double angle(double a) {
        while (a > Math.PI) {
            a -= 2 * Math.PI;
        }
        while (a < -Math.PI) {
            a += 2 * Math.PI;
        }
        return a;
    }

    private void park(Agent car) {
        car.role = Role.PARKED;
        car.speed = 0;
        car.braking = false;
        car.legs.clear();
        car.legIndex = 0;
        car.leaveAt = Double.POSITIVE_INFINITY;
        // The driver gets out and walks off (to the store from a lot stall).
        PersonLook look = PersonLook.random(rng, raining, false);
        Agent driver = newPerson(look);
        double side = car.width / 2 + 0.45;
        double hx = Math.cos(car.heading) * -side;
        double hy = -Math.sin(car.heading) * -side;
        double sx = car.x + hx + Math.sin(car.heading) * 0.4;
        double sy = car.y + hy + Math.cos(car.heading) * 0.4;
        List<Leg> legs = walkAway(sx, sy);
        if (legs.isEmpty()) {
            return;
        }
        driver.legs.addAll(legs);
        driver.s = 0;
        place(driver);
        born.add(driver);
    }

    private void finish(Agent a) {
        a.removed = true;
        releaseSpot(a);
    }

    /** Puts the agent where its route says and faces it along the route. */
    private void place(Agent a) {
        Leg leg = a.leg();
        if (leg == null) {
            return;
        }
        Path p = leg.path();
        double h = p.heading(a.s);
        double off = a.lateral + a.sidestep;
        a.x = p.x(a.s) + Math.cos(h) * off;
        a.y = p.y(a.s) - Math.sin(h) * off;
        if (a.role == Role.WALK && a.speed < 0.05 && !leg.reverse()) {
            return;
        }
        a.heading = leg.reverse() ? h + Math.PI : h;
    }

    // ---------------------------------------------------------------- riders and dogs

    private void ride(Agent rider) {
        Agent bike = rider.mount;
        if (bike == null || bike.removed) {
            rider.removed = true;
            return;
        }
        rider.heading = bike.heading;
        rider.x = bike.x + Math.sin(bike.heading) * rider.seatOffset;
        rider.y = bike.y + Math.cos(bike.heading) * rider.seatOffset;
        rider.speed = bike.speed;
        rider.phase = bike.phase;
    }

    private void follow(Agent dog, double dt) {
        Agent owner = dog.owner;
        if (owner == null || owner.removed) {
            dog.removed = true;
            return;
        }
        double h = owner.heading;
        double tx = owner.x + Math.sin(h) * 1.0 + Math.cos(h) * 0.45;
        double ty = owner.y + Math.cos(h) * 1.0 - Math.sin(h) * 0.45;
        double dx = tx - dog.x;
        double dy = ty - dog.y;
        double d = Fast.hypot(dx, dy);
        double v = Math.min(Math.max(owner.speed * 1.1, d * 1.5), 3.0);
        if (d > 0.05) {
            double step = Math.min(d, v * dt);
            dog.x += dx / d * step;
            dog.y += dy / d * step;
            dog.heading = d > 0.3 ? Math.atan2(dx, dy) : h;
        } else {
            dog.heading = h;
        }
        dog.speed = d > 0.05 ? Math.min(v, d / dt) : 0;
        dog.phase += dog.speed * dt / 0.5 * Math.PI;
    }

    // ---------------------------------------------------------------- pedestrians

    private double walkX(int side, double offset) {
        return Layout.sideSign(side) * (layout.walkInner[side] + offset);
    }

    private double laneOffset(int side) {
        double w = layout.walk[side];
        return rng.uniform(Math.min(0.9, w * 0.35), w - 0.35);
    }

    private void spawnWalker(double fraction) {
        PersonLook look = PersonLook.random(rng, raining, rng.chance(0.07));
        Agent p = newPerson(look);
        List<Leg> legs = walkerRoute();
        if (legs.isEmpty()) {
            nextId--;
            return;
        }
        p.legs.addAll(legs);
        startAt(p, fraction);
        born.add(p);
        if (fraction == 0 && rng.chance(0.12)) {
            // A companion walking alongside.
            Agent q = newPerson(PersonLook.random(rng, raining, rng.chance(0.2)));
            q.legs.addAll(p.legs);
            q.desiredSpeed = p.desiredSpeed;
            q.lateral = rng.chance(0.5) ? 0.6 : -0.6;
            q.s = p.s;
            q.legIndex = p.legIndex;
            place(q);
            born.add(q);
        }
    }

    private void spawnDogWalker(double fraction) {
        PersonLook look = PersonLook.random(rng, raining, false);
        Agent p = newPerson(look);
        p.desiredSpeed = rng.uniform(0.9, 1.3);
        List<Leg> legs = sidewalkRoute(rng.nextInt(2), rng.chance(0.5), false);
        p.legs.addAll(legs);
        startAt(p, fraction);
        born.add(p);
        Agent dog = new Agent(nextId++, ObjectClass.DOG, DogLook.random(rng), 0.7, 0.3);
        dog.role = Role.FOLLOW;
        dog.owner = p;
        dog.x = p.x + Math.sin(p.heading) * 1.0;
        dog.y = p.y + Math.cos(p.heading) * 1.0;
        dog.heading = p.heading;
        born.add(dog);
    }

    private void spawnStanding() {
        PersonLook look = PersonLook.random(rng, raining, rng.chance(0.05));
        Agent p = newPerson(look);
        int side = rng.nextInt(2);
        double y = rng.uniform(-50, 100);
        if (layout.inCrossGap(y, 1)) {
            nextId--;
            return;
        }
        p.role = Role.STAND;
        p.pose = PersonFigure.Pose.STAND;
        p.x = walkX(side, laneOffset(side));
        p.y = y;
        p.heading = rng.uniform(0, 2 * Math.PI);
        p.leaveAt = time + rng.uniform(10, 200);
        born.add(p);
        if (rng.chance(0.4)) {
            // Someone to talk to, facing them.
            Agent q = newPerson(PersonLook.random(rng, raining, false));
            q.role = Role.STAND;
            q.pose = PersonFigure.Pose.STAND;
            double a = rng.uniform(0, 2 * Math.PI);
            q.x = p.x + Math.sin(a) * 0.9;
            q.y = p.y + Math.cos(a) * 0.9;
            q.heading = a + Math.PI;
            p.heading = a;
            q.leaveAt = p.leaveAt + rng.uniform(-5, 20);
            born.add(q);
        }
    }

    private void stand(Agent p, double dt) {
        p.speed = 0;
        if (!(p.look instanceof PersonLook)) {
            return;
        }
        p.pose = PersonFigure.Pose.STAND;
        p.phase += dt * 0.5;
        if (time >= p.leaveAt) {
            List<Leg> legs = walkAway(p.x, p.y);
            if (legs.isEmpty()) {
                p.leaveAt = time + 30;
                return;
            }
            p.legs.clear();
            p.legs.addAll(legs);
            p.legIndex = 0;
            p.s = 0;
            p.role = Role.WALK;
        }
    }

    /** From a point on (or next to) a sidewalk or the lot, to the end of the nearest sidewalk or a store door. */
    private List<Leg> walkAway(double x, double y) {
        List<Leg> legs = new ArrayList<>();
        Layout.ParkingLot lot = layout.lot;
        if (lot != null && lot.contains(x, y)) {
            Layout.Door door = nearestDoor(lot.x1(), y, true);
            if (door != null) {
                legs.add(new Leg(Path.from(x, y).to(door.x() - 1.5, door.y()).to(door.x(), door.y()).build()));
                return legs;
            }
        }
        int side = x < 0 ? 0 : 1;
        boolean up = rng.chance(0.5);
        double off = Math.max(0.3, Math.min(layout.walk[side] - 0.3, Math.abs(x) - layout.walkInner[side]));
        double wx = walkX(side, off);
        double yEnd = up ? WALK_MAX_Y : WALK_MIN_Y;
        legs.add(new Leg(Path.from(x, y).to(wx, y + (up ? 1 : -1)).build()));
        legs.addAll(along(side, off, y + (up ? 1 : -1), yEnd));
        return legs;
    }

    private Layout.Door nearestDoor(double x, double y, boolean lotSide) {
        Layout.Door best = null;
        double bestD = Double.MAX_VALUE;
        for (Layout.Door d : layout.doors) {
            if (lotSide && d.x() < layout.lot.x0()) {
                continue;
            }
            double dist = Fast.hypot(d.x() - x, d.y() - y);
            if (dist < bestD) {
                bestD = dist;
                best = d;
            }
        }
        return best;
    }

    /** Legs along one main sidewalk from y0 to y1, crossing the cross street on its zebra when there is one. */
    private List<Leg> along(int side, double offset, double y0, double y1) {
        List<Leg> legs = new ArrayList<>();
        double x = walkX(side, offset);
        double dir = Math.signum(y1 - y0);
        if (layout.hasCross()) {
            double g = layout.crossHalf + Layout.CURB + 0.2;
            double before = layout.yCross - dir * g;
            double after = layout.yCross + dir * g;
            if ((before - y0) * dir > 0 && (y1 - after) * dir > 0) {
                legs.add(new Leg(Path.from(x, y0).to(x, before).build()));
                legs.add(new Leg(Path.from(x, before).to(x, after).build(), false, Gate.WALK_ACROSS_CROSS,
                        List.of()));
                legs.add(new Leg(Path.from(x, after).to(x, y1).build()));
                return legs;
            }
        }
        legs.add(new Leg(Path.from(x, y0).to(x, y1).build()));
        return legs;
    }

    private List<Leg> sidewalkRoute(int side, boolean up, boolean allowCrossing) {
        double off = laneOffset(side);
        double y0 = up ? WALK_MIN_Y : WALK_MAX_Y;
        double y1 = up ? WALK_MAX_Y : WALK_MIN_Y;
        return along(side, off, y0, y1);
    }

    /** A route for a new pedestrian, starting off-screen (a sidewalk end) or at a door. */
    private List<Leg> walkerRoute() {
        int side = rng.nextInt(2);
        boolean up = rng.chance(0.5);
        double off = laneOffset(side);
        double dir = up ? 1 : -1;
        double y0 = up ? WALK_MIN_Y : WALK_MAX_Y;
        double y1 = up ? WALK_MAX_Y : WALK_MIN_Y;
        List<Leg> legs = new ArrayList<>();
        double start = y0;
        // Some come out of a door.
        if (rng.chance(0.2)) {
            Layout.Door door = randomDoor(side);
            if (door != null) {
                double x = walkX(side, off);
                legs.add(new Leg(Path.from(door.x(), door.y()).to(x, door.y() + dir * 0.8).build()));
                start = door.y() + dir * 0.8;
            }
        }
        // Some go into a door instead of walking to the end.
        double end = y1;
        Layout.Door target = rng.chance(0.15) ? randomDoor(side) : null;
        if (target != null && (target.y() - start) * dir > 5) {
            end = target.y() - dir * 0.8;
        } else {
            target = null;
        }
        boolean crosses = rng.chance(scenario.crossing());
        boolean jaywalk = !crosses && rng.chance(scenario.jaywalk());
        double crossAt = Double.NaN;
        Gate gate = Gate.NONE;
        if (crosses && layout.hasCross()) {
            double[] z = layout.crossZebra(rng.chance(0.5));
            crossAt = (z[0] + z[1]) / 2;
            gate = Gate.WALK_ACROSS_MAIN;
        } else if (crosses && layout.hasZebra()) {
            crossAt = layout.yZebra;
            gate = Gate.ZEBRA;
        } else if (jaywalk || crosses) {
            crossAt = rng.uniform(-20, 70);
            gate = Gate.JAYWALK;
            if (layout.inCrossGap(crossAt, 3) || (layout.lot != null
                    && Math.abs(crossAt - layout.lot.yDrive()) < 5)
                    || (layout.hasZebra() && Math.abs(crossAt - layout.yZebra) < 10)) {
                crossAt = Double.NaN;
            }
        }
        if (!Double.isNaN(crossAt) && (crossAt - start) * dir > 3 && (end - crossAt) * dir > 3) {
            legs.addAll(along(side, off, start, crossAt));
            int other = 1 - side;
            double otherOff = laneOffset(other);
            double x0 = walkX(side, off);
            double curb0 = Layout.sideSign(side) * (layout.roadEdge[side] + 0.1);
            double x1 = walkX(other, otherOff);
            legs.add(new Leg(Path.from(x0, crossAt).to(curb0, crossAt).build()));
            legs.add(new Leg(Path.from(curb0, crossAt).to(x1, crossAt + (gate == Gate.JAYWALK ? dir * 2 : 0)).build(),
                    false, gate, List.of()));
            double next = crossAt + (gate == Gate.JAYWALK ? dir * 2 : 0);
            double far = rng.chance(0.7) ? (up ? WALK_MAX_Y : WALK_MIN_Y) : (up ? WALK_MIN_Y : WALK_MAX_Y);
            if (layout.hasCross() && rng.chance(0.4)) {
                // Turn into the cross street's sidewalk.
                double yc = layout.yCross;
                double ySide = next > yc ? yc + layout.crossHalf + Layout.CURB + layout.crossWalk * 0.5
                        : yc - layout.crossHalf - Layout.CURB - layout.crossWalk * 0.5;
                double xEnd = Layout.sideSign(other) * CROSS_END;
                legs.add(new Leg(Path.from(x1, next).to(x1, ySide).to(xEnd, ySide).build()));
            } else {
                legs.addAll(along(other, otherOff, next, far));
            }
            return legs;
        }
        legs.addAll(along(side, off, start, end));
        if (target != null) {
            legs.add(new Leg(Path.from(walkX(side, off), end).to(target.x(), target.y()).build()));
        }
        return legs;
    }

    private Layout.Door randomDoor(int side) {
        List<Layout.Door> candidates = new ArrayList<>();
        for (Layout.Door d : layout.doors) {
            if ((d.x() > 0) == (side == 1) && d.nx() != 0 && d.y() > WALK_MIN_Y + 10 && d.y() < WALK_MAX_Y - 10
                    && !layout.inCrossGap(d.y(), 2) && Math.abs(Math.abs(d.x()) - layout.facade[side]) < 0.5) {
                candidates.add(d);
            }
        }
        return candidates.isEmpty() ? null : candidates.get(rng.nextInt(candidates.size()));
    }

    /** Places a new walker at a fraction of its whole route (skipping over gates). */
    private void startAt(Agent p, double fraction) {
        double total = 0;
        for (Leg leg : p.legs) {
            total += leg.path().length();
        }
        double target = fraction * total;
        p.legIndex = 0;
        while (p.legIndex < p.legs.size() - 1 && target > p.legs.get(p.legIndex).path().length()) {
            target -= p.legs.get(p.legIndex).path().length();
            p.legIndex++;
        }
        p.s = target;
        p.gatePassed = fraction > 0;
        p.speed = fraction > 0 ? p.desiredSpeed : 0;
        place(p);
        p.heading = p.leg().path().heading(p.s);
        p.phase = rng.uniform(0, 2 * Math.PI);
    }

    /** Whether a vehicle stands on (or is about to leave) the crossing this path goes over. */
    private boolean vehicleOnCrossing(Path path) {
        double mx = path.x(path.length() / 2);
        double my = path.y(path.length() / 2);
        for (double[] area : crosswalks()) {
            if (mx < area[0] || mx > area[2] || my < area[1] || my > area[3]) {
                continue;
            }
            for (Agent o : agents) {
                if (o.role == Role.DRIVE && isVehicle(o) && o.x >= area[0] - o.length / 2 && o.x <= area[2] + o.length / 2
                        && o.y >= area[1] - o.length / 2 && o.y <= area[3] + o.length / 2) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean gateOpen(Agent p, Gate gate) {
        return switch (gate) {
            case NONE -> true;
            case WALK_ACROSS_MAIN -> crossLight() == Light.GREEN && cycleTimeIn(Light.GREEN, false) < 9;
            case WALK_ACROSS_CROSS -> mainLight() == Light.GREEN && cycleTimeIn(Light.GREEN, true) < 11;
            case ZEBRA -> trafficGap(p.y, 2.5, 6, true);
            case JAYWALK -> trafficGap(p.y, 6, 25, false);
        };
    }

    private double cycleTimeIn(Light light, boolean main) {
        double u = cyclePosition();
        return main ? u : u - GREEN_MAIN - AMBER - ALL_RED;
    }

    /**
     * Whether no vehicle on the main road will reach the line y = at within the given seconds (or metres); at a zebra,
     * vehicles that have stopped short of it are giving way.
     */
    private boolean trafficGap(double at, double seconds, double metres, boolean zebra) {
        for (Agent o : agents) {
            if (o.role != Role.DRIVE || !isVehicle(o)) {
                continue;
            }
            double dir = Math.cos(o.heading);
            double toGo = (at - o.y) * Math.signum(dir);
            if (Math.abs(dir) < 0.3 || toGo < -o.length / 2 - 1) {
                continue;
            }
            if (zebra && o.speed < 0.5 && toGo > o.length / 2 + 2) {
                continue;
            }
            if (toGo < metres || (o.speed > 0.5 && toGo < o.speed * seconds + 5)) {
                return false;
            }
        }
        return true;
    }

    private boolean computeZebraBusy() {
        if (!layout.hasZebra()) {
            return false;
        }
        double edge = Math.max(layout.roadEdge[0], layout.roadEdge[1]);
        for (Agent a : agents) {
            if (a.objectClass == ObjectClass.PERSON && (a.role == Role.WALK)
                    && Math.abs(a.y - layout.yZebra) < 2.5
                    && (Math.abs(a.x) < edge + 0.3 || a.waiting && a.leg() != null && a.leg().gate() == Gate.ZEBRA)) {
                return true;
            }
        }
        return false;
    }

    private static final double CELL = 6;
    private static final double GRID_X0 = -240;
    private static final double GRID_Y0 = -240;
    private static final int GRID_W = 81;
    private static final int GRID_H = 111;
    private final int[] cellHead = new int[GRID_W * GRID_H];
    private int[] cellNext = new int[256];

    /** Buckets the agents by 6 m cells, so pedestrians look only at their neighbours. */
    private void buildGrid() {
        java.util.Arrays.fill(cellHead, -1);
        if (cellNext.length < agents.size()) {
            cellNext = new int[agents.size() * 2];
        }
        for (int i = agents.size() - 1; i >= 0; i--) {
            int c = cell(agents.get(i).x, agents.get(i).y);
            cellNext[i] = cellHead[c];
            cellHead[c] = i;
        }
    }

    private static int cell(double x, double y) {
        int cx = Math.max(0, Math.min(GRID_W - 1, (int) ((x - GRID_X0) / CELL)));
        int cy = Math.max(0, Math.min(GRID_H - 1, (int) ((y - GRID_Y0) / CELL)));
        return cy * GRID_W + cx;
    }

    private void walk(Agent p, double dt) {
        Leg leg = p.leg();
        if (leg == null) {
            finish(p);
            return;
        }
        if (!p.gatePassed && p.s < 0.01 && leg.gate() != Gate.NONE) {
            if (!gateOpen(p, leg.gate()) || vehicleOnCrossing(leg.path())) {
                p.waiting = true;
                p.speed = 0;
                p.pose = PersonFigure.Pose.STAND;
                p.heading = leg.path().heading(0.5);
                return;
            }
            p.waiting = false;
            p.gatePassed = true;
        }
        double v0 = leg.gate() != Gate.NONE ? p.desiredSpeed * 1.15 : p.desiredSpeed;
        double sh = Math.sin(p.heading);
        double ch = Math.cos(p.heading);
        double limit = v0;
        boolean oncoming = false;
        int cx = Math.max(0, Math.min(GRID_W - 1, (int) ((p.x - GRID_X0) / CELL)));
        int cy = Math.max(0, Math.min(GRID_H - 1, (int) ((p.y - GRID_Y0) / CELL)));
        List<Agent> near = new ArrayList<>();
        for (int gy = Math.max(0, cy - 1); gy <= Math.min(GRID_H - 1, cy + 1); gy++) {
            for (int gx = Math.max(0, cx - 1); gx <= Math.min(GRID_W - 1, cx + 1); gx++) {
                for (int i = cellHead[gy * GRID_W + gx]; i >= 0; i = cellNext[i]) {
                    near.add(agents.get(i));
                }
            }
        }
        for (Agent o : near) {
            if (o == p || o.removed || o.role == Role.RIDE || o.role == Role.FOLLOW) {
                continue;
            }
            double dx = o.x - p.x;
            double dy = o.y - p.y;
            if (dx > 6 || dx < -6 || dy > 6 || dy < -6) {
                continue;
            }
            double fwd = dx * sh + dy * ch;
            if (fwd <= 0 || fwd > 3.5) {
                continue;
            }
            double lat = dx * ch - dy * sh;
            boolean vehicle = isVehicle(o);
            double half = vehicle ? o.width / 2 + 0.4 : 0.55;
            if (Math.abs(lat) > half) {
                continue;
            }
            double gap = fwd - (vehicle ? o.length / 2 : 0.45);
            double along = Math.cos(o.heading - p.heading);
            if (vehicle && gap < 2.5) {
                // A vehicle in the way (passing in front, or parked across the path): wait or step round.
                limit = o.speed > 0.3 ? 0 : Math.min(limit, v0 * 0.5);
                oncoming |= o.speed <= 0.3;
                continue;
            }
            if (vehicle) {
                continue;
            }
            if (!vehicle && along < -0.3 && o.speed > 0.2) {
                oncoming = true;
            } else if (gap < 1.2) {
                limit = Math.min(limit, vehicle || o.speed < 0.1 ? 0 : o.speed * along);
                if (o.speed < 0.1 && !vehicle) {
                    // Step round someone standing still.
                    oncoming = true;
                    limit = v0 * 0.5;
                }
            }
        }
        if (time < p.pushUntil) {
            limit = v0;
            oncoming = false;
        }
        double targetStep = oncoming ? 0.55 : 0;
        p.sidestep += Math.max(-0.5 * dt, Math.min(0.5 * dt, targetStep - p.sidestep));
        double v = p.speed;
        v += Math.max(-3 * dt, Math.min(1.2 * dt, limit - v));
        v = Math.max(0, v);
        p.speed = v;
        p.stuck = v < 0.05 ? p.stuck + dt : 0;
        if (p.stuck > 8) {
            p.pushUntil = time + 3;
            p.stuck = 0;
        }
        p.s += v * dt;
        double len = leg.path().length();
        if (p.s >= len) {
            if (p.legIndex + 1 < p.legs.size()) {
                p.s -= len;
                p.legIndex++;
                p.gatePassed = false;
                if (p.leg().gate() != Gate.NONE) {
                    p.s = 0;
                }
            } else {
                finish(p);
                return;
            }
        }
        place(p);
        double stride = v / 1.35;
        p.pose = v > 0.15 ? PersonFigure.Pose.WALK : PersonFigure.Pose.STAND;
        double look = p.objectClass == ObjectClass.PERSON ? ((PersonLook) p.look).height() : 1.7;
        p.phase += v * dt / (0.42 * look) * Math.PI * (stride > 1.6 ? 0.8 : 1);
    }

    /** Helmet colours. */
    private static final class Palettes {
        static int helmet(Rng rng) {
            return rng.pick(List.of(0x111111, 0x1A1A1A, 0xEEEEEE, 0xB22222, 0x1E3A6E, 0x6B6B70, 0xF2C12E));
        }

        static int bikeHelmet(Rng rng) {
            return rng.pick(List.of(0x111111, 0xEEEEEE, 0x1565C0, 0xC62828, 0x2E7D32, 0xF9A825));
        }
    }
}
