package io.strix.camsim.motion;

import io.strix.camsim.figure.DogLook;
import io.strix.camsim.figure.PersonFigure;
import io.strix.camsim.figure.PersonLook;
import io.strix.camsim.figure.TwoWheelerLook;
import io.strix.camsim.figure.VehicleLook;
import io.strix.camsim.truth.ObjectClass;
import java.util.ArrayList;
import java.util.List;

/**
 * One moving (or parked) object of the world: its class, its persistent id, how it looks, where it is and what it
 * is doing. Riders and dogs are agents of their own, tied to the bicycle or the owner they move with.
 */
public final class Agent {
    /** What drives the agent's motion. */
    public enum Role { DRIVE, PARKED, WALK, STAND, RIDE, FOLLOW }

    public final int id;
    public final ObjectClass objectClass;
    /** A {@link PersonLook}, {@link VehicleLook}, {@link TwoWheelerLook} or {@link DogLook}. */
    public final Object look;
    public final double length;
    public final double width;
    public double x;
    public double y;
    public double heading;
    public double speed;
    /** Gait or crank phase, radians. */
    public double phase;
    public PersonFigure.Pose pose = PersonFigure.Pose.WALK;
    public boolean braking;
    /** -1 left, 0 none, 1 right. */
    public int turn;
    /** The bicycle or motorcycle a rider sits on. */
    public Agent mount;
    /** The person a dog walks with. */
    public Agent owner;
    Role role;
    final List<Leg> legs = new ArrayList<>();
    int legIndex;
    double s;
    double lateral;
    double desiredSpeed;
    double waitTimer;
    boolean waiting;
    boolean removed;
    /** For vehicles: what to do when the route ends (park at the end instead of leaving the world). */
    boolean parkAtEnd;
    double sidestep;
    /** Bus stop dwell: 0 not yet stopped, above 0 the time the dwell ends, below 0 done. */
    double stopUntil;
    /** Parked cars: when to leave (infinite: stays). Standing people: when to walk on. */
    double leaveAt = Double.POSITIVE_INFINITY;
    boolean gatePassed;
    /** A car that left a parking place and is still pulling out. */
    boolean pulledOut;
    /** Seconds spent standing still because of other agents (not lights or stops). */
    double stuck;
    /** Until this time the agent pushes through (breaks a standstill where everyone waits for everyone). */
    double pushUntil;
    /** Index of the parking place a parked car holds (curb spots, then lot stalls), or -1. */
    int spot = -1;
    /** A car a pedestrian walks to (and drives off in), or that a driver came out of. */
    Agent car;
    /** Where a vehicle's rider sits relative to its centre, along its heading (metres). */
    double seatOffset;
    double seatHeight;

    Agent(int id, ObjectClass objectClass, Object look, double length, double width) {
        this.id = id;
        this.objectClass = objectClass;
        this.look = look;
        this.length = length;
        this.width = width;
    }

    public Role role() {
        return role;
    }

    Leg leg() {
        return legIndex < legs.size() ? legs.get(legIndex) : null;
    }

    /**
     * One stretch of a route: a path, driven forwards or backwards, that may only be started once its gate allows
     * (a walk signal, a gap in the traffic), with stops along it (stop lines, a bus stop).
     */
    record Leg(Path path, boolean reverse, Gate gate, List<Stop> stops) {
        Leg(Path path) {
            this(path, false, Gate.NONE, List.of());
        }
    }

    /** What must hold before a leg starts. */
    enum Gate { NONE, WALK_ACROSS_MAIN, WALK_ACROSS_CROSS, ZEBRA, JAYWALK }

    /** A place on a vehicle's path where it may have to stop, and what decides. */
    record Stop(double s, Control control, double[] area) {
        Stop(double s, Control control) {
            this(s, control, null);
        }
    }

    /** Who controls a stop. */
    enum Control { MAIN_SIGNAL, CROSS_SIGNAL, ZEBRA, BUS_STOP, CROSSWALK }
}
