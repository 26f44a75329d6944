package io.strix.camsim.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strix.camsim.truth.ObjectClass;
import io.strix.camsim.world.Layout;
import io.strix.camsim.world.Weather;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioFileTest {
    @Test
    void readsEveryKeyOfAYamlScenario(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("market.yaml");
        Files.writeString(file, """
                name: market-day
                base: crossing
                layout: [street, crossing]
                time: [16, 19.5]
                weather: {clear: 2, rain: 1}
                traffic:
                  car: 20
                  bus: 2
                  person: 80
                  dog: 0
                parked: 0.9
                standing: 4
                crossing: 0.7
                jaywalk: 0.1
                camera:
                  height: [6, 9]
                  fov: 70
                  view: across
                effects:
                  noise: 0.5
                  blur: 0
                  shake: 0
                  distractors: false
                """);
        Scenario s = ScenarioFile.read(file);
        assertThat(s.name()).isEqualTo("market-day");
        assertThat(s.layouts()).containsExactly(Layout.Kind.STREET, Layout.Kind.CROSSING);
        assertThat(s.hourMin()).isEqualTo(16);
        assertThat(s.hourMax()).isEqualTo(19.5);
        assertThat(s.weather()).containsEntry(Weather.CLEAR, 2.0).containsEntry(Weather.RAIN, 1.0).hasSize(2);
        assertThat(s.rate(ObjectClass.CAR)).isEqualTo(20);
        assertThat(s.rate(ObjectClass.PERSON)).isEqualTo(80);
        assertThat(s.rate(ObjectClass.DOG)).isZero();
        assertThat(s.rate(ObjectClass.TRUCK)).isEqualTo(Scenarios.crossing().rate(ObjectClass.TRUCK));
        assertThat(s.parked()).isEqualTo(0.9);
        assertThat(s.standing()).isEqualTo(4);
        assertThat(s.crossing()).isEqualTo(0.7);
        assertThat(s.jaywalk()).isEqualTo(0.1);
        assertThat(s.cameraHeight()).containsExactly(6, 9);
        assertThat(s.fov()).containsExactly(70, 70);
        assertThat(s.view()).isEqualTo(Scenario.View.ACROSS);
        assertThat(s.effects()).isEqualTo(new Effects(0.5, 0, 0, false));
    }

    @Test
    void readsJsonAndStartsFromTheStreetScenario(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("quiet.json");
        Files.writeString(file, "{\"time\": 3, \"weather\": \"fog\", \"traffic\": {\"car\": 1}}");
        Scenario s = Scenarios.resolve(file.toString());
        assertThat(s.name()).isEqualTo("quiet");
        assertThat(s.layouts()).containsExactly(Layout.Kind.STREET);
        assertThat(s.hourMin()).isEqualTo(3);
        assertThat(s.weather()).containsOnlyKeys(Weather.FOG);
        assertThat(s.rate(ObjectClass.CAR)).isEqualTo(1);
        assertThat(s.rate(ObjectClass.PERSON)).isEqualTo(Scenarios.street().rate(ObjectClass.PERSON));
    }

    @Test
    void anEmptyFileIsTheStreetScenario() {
        Scenario s = ScenarioFile.parse("", "empty.yaml", "empty");
        assertThat(s.name()).isEqualTo("empty");
        assertThat(s.rates()).isEqualTo(Scenarios.street().rates());
    }

    @Test
    void rejectsUnknownKeysListingTheKnownOnes() {
        assertThatThrownBy(() -> ScenarioFile.parse("trafic: {car: 3}", "s.yaml", "s"))
                .hasMessageContaining("scenario file s.yaml: unknown key 'trafic'")
                .hasMessageContaining("traffic");
        assertThatThrownBy(() -> ScenarioFile.parse("camera: {hight: 5}", "s.yaml", "s"))
                .hasMessageContaining("unknown key 'camera.hight'");
    }

    @Test
    void rejectsValuesOfTheWrongTypeOrRange() {
        assertThatThrownBy(() -> ScenarioFile.parse("traffic: {car: many}", "s.yaml", "s"))
                .hasMessageContaining("traffic.car: expected a number between 0 and 1000, got 'many'");
        assertThatThrownBy(() -> ScenarioFile.parse("parked: 1.5", "s.yaml", "s"))
                .hasMessageContaining("parked: expected a number between 0 and 1, got 1.5");
        assertThatThrownBy(() -> ScenarioFile.parse("time: [20, 6]", "s.yaml", "s"))
                .hasMessageContaining("time: expected [min, max] with min <= max");
        assertThatThrownBy(() -> ScenarioFile.parse("effects: {distractors: maybe}", "s.yaml", "s"))
                .hasMessageContaining("effects.distractors: expected true or false, got 'maybe'");
        assertThatThrownBy(() -> ScenarioFile.parse("traffic: {tram: 3}", "s.yaml", "s"))
                .hasMessageContaining("traffic.tram: unknown class 'tram'");
    }

    @Test
    void rejectsUnknownLayoutsWeathersAndBases() {
        assertThatThrownBy(() -> ScenarioFile.parse("layout: highway", "s.yaml", "s"))
                .hasMessageContaining("layout: expected street, crossing or parking");
        assertThatThrownBy(() -> ScenarioFile.parse("weather: snow", "s.yaml", "s"))
                .hasMessageContaining("weather: unknown weather 'snow'");
        assertThatThrownBy(() -> ScenarioFile.parse("base: beach", "s.yaml", "s"))
                .hasMessageContaining("base: expected one of street, crossing, parking, night, mixed, got 'beach'");
        assertThatThrownBy(() -> ScenarioFile.parse("camera: {view: up}", "s.yaml", "s"))
                .hasMessageContaining("camera.view: expected along, across or any");
    }

    @Test
    void rejectsTextThatIsNoMapping() {
        assertThatThrownBy(() -> ScenarioFile.parse("- a\n- b", "s.yaml", "s"))
                .hasMessageContaining("must hold a mapping");
        assertThatThrownBy(() -> ScenarioFile.parse("layout: [street", "s.yaml", "s"))
                .hasMessageContaining("is not valid YAML or JSON");
    }

    @Test
    void namesUnreadableFiles(@TempDir Path dir) {
        assertThatThrownBy(() -> Scenarios.resolve(dir.resolve("missing.yaml").toString()))
                .hasMessageContaining("unknown scenario").hasMessageContaining("not a scenario file");
    }
}
