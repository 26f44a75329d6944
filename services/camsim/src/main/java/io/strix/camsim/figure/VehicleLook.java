package io.strix.camsim.figure;

import io.strix.camsim.world.Rng;

/** How one car, van, truck or bus looks: body type, size (metres) and colours. */
public record VehicleLook(Type type, double length, double width, double height, double wheelRadius, int paint,
                          int accent, int glass, boolean roofRack) {

    /** Body types; pickups and box trucks are COCO trucks, vans and the rest cars. */
    public enum Type { SEDAN, HATCHBACK, WAGON, SUV, VAN, TAXI, PICKUP, BOX_TRUCK, BUS }

    public static VehicleLook car(Rng rng) {
        Type type = switch (rng.weighted(4, 3, 1.2, 3, 1.2, 0.5)) {
            case 0 -> Type.SEDAN;
            case 1 -> Type.HATCHBACK;
            case 2 -> Type.WAGON;
            case 3 -> Type.SUV;
            case 4 -> Type.VAN;
            default -> Type.TAXI;
        };
        double length = switch (type) {
            case SEDAN, TAXI -> rng.uniform(4.4, 4.95);
            case HATCHBACK -> rng.uniform(3.7, 4.3);
            case WAGON -> rng.uniform(4.5, 4.9);
            case SUV -> rng.uniform(4.3, 4.95);
            default -> rng.uniform(4.7, 5.2);
        };
        double width = type == Type.SUV || type == Type.VAN ? rng.uniform(1.85, 2.0) : rng.uniform(1.72, 1.86);
        double height = switch (type) {
            case SEDAN, TAXI -> rng.uniform(1.38, 1.5);
            case HATCHBACK -> rng.uniform(1.42, 1.55);
            case WAGON -> rng.uniform(1.45, 1.55);
            case SUV -> rng.uniform(1.62, 1.8);
            default -> rng.uniform(1.85, 2.05);
        };
        double wheel = type == Type.SUV || type == Type.VAN ? rng.uniform(0.34, 0.38) : rng.uniform(0.30, 0.33);
        int paint = type == Type.TAXI ? rng.pick(java.util.List.of(0xF2C12E, 0xF5F5F5, 0x1E1E22))
                : Palette.vary(rng, Palette.paint(rng), 0.05);
        int glass = rng.chance(0.5) ? 0x1E2630 : 0x2C3844;
        return new VehicleLook(type, length, width, height, wheel, paint, 0x1A1A1A, glass,
                type == Type.SUV && rng.chance(0.3));
    }

    public static VehicleLook truck(Rng rng) {
        boolean pickup = rng.chance(0.45);
        if (pickup) {
            return new VehicleLook(Type.PICKUP, rng.uniform(5.2, 5.9), rng.uniform(1.9, 2.05), rng.uniform(1.8, 1.95),
                    0.38, Palette.vary(rng, Palette.paint(rng), 0.05), 0x1A1A1A, 0x1E2630, false);
        }
        int box = Palette.pick(rng, Palette.TRUCK_PAINT);
        return new VehicleLook(Type.BOX_TRUCK, rng.uniform(6.5, 9.0), 2.45, rng.uniform(3.1, 3.7), 0.48,
                box, rng.chance(0.5) ? Palette.pick(rng, Palette.TRUCK_PAINT) : Palette.pick(rng, Palette.BUS_PAINT),
                0x1E2630, false);
    }

    public static VehicleLook bus(Rng rng) {
        int paint = Palette.pick(rng, Palette.BUS_PAINT);
        int accent = Palette.pick(rng, Palette.BUS_PAINT);
        return new VehicleLook(Type.BUS, rng.uniform(10.5, 12.2), 2.55, rng.uniform(3.0, 3.25), 0.5, paint, accent,
                0x1C2430, false);
    }
}
