package io.strix.camsim.scenario;

import io.strix.camsim.truth.ObjectClass;
import io.strix.camsim.world.Layout;
import io.strix.camsim.world.Weather;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The built-in scenarios, and the lookup of a scenario by name or file. */
public final class Scenarios {
    public static final List<String> NAMES = List.of("street", "crossing", "parking", "night", "mixed");

    private Scenarios() {
    }

    /** A built-in scenario by name, or a scenario file (.yaml, .yml or .json) by path. */
    public static Scenario resolve(String nameOrFile) {
        Scenario builtin = builtin(nameOrFile);
        if (builtin != null) {
            return builtin;
        }
        Path path = Path.of(nameOrFile);
        if (Files.isRegularFile(path)) {
            return ScenarioFile.read(path);
        }
        throw new IllegalArgumentException("unknown scenario '" + nameOrFile + "': not one of " + String.join(", ", NAMES)
                + " and not a scenario file");
    }

    /** The built-in scenario of that name, or null. */
    public static Scenario builtin(String name) {
        return switch (name) {
            case "street" -> street();
            case "crossing" -> crossing();
            case "parking" -> parking();
            case "night" -> night();
            case "mixed" -> mixed();
            default -> null;
        };
    }

    static Map<ObjectClass, Double> rates(double car, double bus, double truck, double motorcycle, double bicycle,
                                          double person, double dog) {
        Map<ObjectClass, Double> m = new EnumMap<>(ObjectClass.class);
        m.put(ObjectClass.CAR, car);
        m.put(ObjectClass.BUS, bus);
        m.put(ObjectClass.TRUCK, truck);
        m.put(ObjectClass.MOTORCYCLE, motorcycle);
        m.put(ObjectClass.BICYCLE, bicycle);
        m.put(ObjectClass.PERSON, person);
        m.put(ObjectClass.DOG, dog);
        return m;
    }

    static Map<Weather, Double> weather(double clear, double cloudy, double overcast, double rain, double fog) {
        Map<Weather, Double> m = new LinkedHashMap<>();
        m.put(Weather.CLEAR, clear);
        m.put(Weather.CLOUDY, cloudy);
        m.put(Weather.OVERCAST, overcast);
        m.put(Weather.RAIN, rain);
        m.put(Weather.FOG, fog);
        return m;
    }

    /** A shopping street by day: traffic both ways, parked cars, busy sidewalks, now and then a mid-block zebra. */
    public static Scenario street() {
        return new Scenario("street", List.of(Layout.Kind.STREET), 7.5, 18.5, weather(4, 3, 2, 1, 0.3),
                rates(16, 1.0, 2.0, 2.0, 4.0, 36, 3), 0.6, 2.0, 0.25, 0.04, new double[]{4.5, 12},
                new double[]{50, 80}, Scenario.View.ANY, Effects.DEFAULT);
    }

    /** A signalised intersection: queues at red lights, turning traffic, crowds on the zebras. */
    public static Scenario crossing() {
        return new Scenario("crossing", List.of(Layout.Kind.CROSSING), 7, 19.5, weather(4, 3, 2, 1, 0.3),
                rates(18, 1.2, 2.0, 2.5, 4.5, 50, 3), 0.5, 2.5, 0.6, 0.02, new double[]{5, 14},
                new double[]{55, 85}, Scenario.View.ALONG, Effects.DEFAULT);
    }

    /** A store's parking lot by a street: cars pull in and out, shoppers walk between cars and the store. */
    public static Scenario parking() {
        return new Scenario("parking", List.of(Layout.Kind.PARKING), 8, 20.5, weather(4, 3, 2, 1, 0.2),
                rates(12, 0.5, 1.5, 1.5, 2.5, 22, 2), 0.7, 1.0, 0.15, 0.02, new double[]{5, 12},
                new double[]{55, 85}, Scenario.View.ACROSS, Effects.DEFAULT);
    }

    /** A street at night: lamps, lit windows, headlights, fewer people, a noisier picture. */
    public static Scenario night() {
        return new Scenario("night", List.of(Layout.Kind.STREET, Layout.Kind.CROSSING), 20.5, 29.5,
                weather(4, 3, 2, 1.5, 0.3), rates(12, 0.5, 1.0, 1.5, 2.0, 16, 1.5), 0.7, 0.8, 0.3, 0.04,
                new double[]{4.5, 12}, new double[]{50, 80}, Scenario.View.ANY,
                new Effects(1.2, 0.3, 0.4, true));
    }

    /** Everything: any layout, any hour from dawn to night (about a quarter of the scenes dark), any weather. */
    public static Scenario mixed() {
        // Rarer classes come more often than on a real street, so a detector trained on it sees enough of them.
        return new Scenario("mixed", List.of(Layout.Kind.STREET, Layout.Kind.CROSSING, Layout.Kind.PARKING), 5.5, 22.5,
                weather(4, 3, 2.5, 1.5, 0.6), rates(16, 2.5, 4.0, 5.0, 8.0, 40, 7), 0.6, 2.0, 0.4, 0.04,
                new double[]{4, 14}, new double[]{45, 88}, Scenario.View.ANY, Effects.DEFAULT);
    }
}
