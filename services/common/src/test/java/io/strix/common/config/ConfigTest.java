package io.strix.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strix.common.config.CommonKeys.LogFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
    private static final List<ConfigKey<?>> KEYS = List.of(CommonKeys.BOOTSTRAP_SERVERS, CommonKeys.HTTP_PORT,
            CommonKeys.LOG_FORMAT, Config.CONFIG_FILE);

    @Test
    void flagBeatsEnvironmentBeatsFileBeatsDefault(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("strix.yaml");
        Files.writeString(file, "bootstrap:\n  servers: file:9092\nhttp.port: 7000\nlog.format: json\n");
        Map<String, String> env = Map.of("STRIX_CONFIG", file.toString(), "STRIX_BOOTSTRAP_SERVERS", "env:9092",
                "STRIX_HTTP_PORT", "7001");

        Config config = Config.resolve(KEYS, Map.of("http.port", "7002"), env);

        assertThat(config.get(CommonKeys.HTTP_PORT)).isEqualTo(7002);
        assertThat(config.source(CommonKeys.HTTP_PORT)).isEqualTo("flag --http-port");
        assertThat(config.get(CommonKeys.BOOTSTRAP_SERVERS)).isEqualTo("env:9092");
        assertThat(config.source(CommonKeys.BOOTSTRAP_SERVERS)).isEqualTo("environment variable STRIX_BOOTSTRAP_SERVERS");
        assertThat(config.get(CommonKeys.LOG_FORMAT)).isEqualTo(LogFormat.JSON);
        assertThat(config.source(CommonKeys.LOG_FORMAT)).contains("strix.yaml");
    }

    @Test
    void defaultsApplyWhenNothingIsGiven() {
        Config config = Config.resolve(KEYS, Map.of(), Map.of());
        assertThat(config.get(CommonKeys.BOOTSTRAP_SERVERS)).isEqualTo("localhost:9092");
        assertThat(config.get(CommonKeys.HTTP_PORT)).isEqualTo(8080);
        assertThat(config.source(CommonKeys.HTTP_PORT)).isEqualTo("default");
        assertThat(config.find(CommonKeys.API_TOKEN)).isEmpty();
    }

    @Test
    void readsPropertiesFiles(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("strix.properties");
        Files.writeString(file, "bootstrap.servers=props:9092\n");
        Config config = Config.resolve(KEYS, Map.of("config", file.toString()), Map.of());
        assertThat(config.get(CommonKeys.BOOTSTRAP_SERVERS)).isEqualTo("props:9092");
    }

    @Test
    void badValueNamesTheSettingItsSourceAndWhatIsExpected() {
        assertThatThrownBy(() -> Config.resolve(KEYS, Map.of(), Map.of("STRIX_HTTP_PORT", "80000")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("STRIX_HTTP_PORT")
                .hasMessageContaining("80000 is outside 0..65535");
        assertThatThrownBy(() -> Config.resolve(KEYS, Map.of("log.format", "xml"), Map.of()))
                .hasMessageContaining("--log-format").hasMessageContaining("plain|json");
    }

    @Test
    void missingOrUnknownConfigFileIsAClearError(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> Config.resolve(KEYS, Map.of("config", dir.resolve("nope.yaml").toString()), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("does not exist");
        Path toml = Files.writeString(dir.resolve("strix.toml"), "x = 1");
        assertThatThrownBy(() -> Config.resolve(KEYS, Map.of("config", toml.toString()), Map.of()))
                .hasMessageContaining(".properties, .yaml or .yml");
        Path list = Files.writeString(dir.resolve("list.yaml"), "- a\n- b\n");
        assertThatThrownBy(() -> Config.resolve(KEYS, Map.of("config", list.toString()), Map.of()))
                .hasMessageContaining("YAML mapping");
    }

    @Test
    void requiredKeyWithoutValueSaysHowToGiveIt() {
        ConfigKey<String> model = new ConfigKey<>("model", "path", s -> s, null, true, false, "The ONNX model.");
        assertThatThrownBy(() -> Config.resolve(List.of(model), Map.of(), Map.of()))
                .hasMessageContaining("--model").hasMessageContaining("STRIX_MODEL");
    }

    @Test
    void secretsNeverShowTheirValueInHelp() {
        assertThat(CommonKeys.API_TOKEN.defaultText()).isEqualTo("(unset)");
        assertThat(CommonKeys.API_TOKEN.envName()).isEqualTo("STRIX_API_TOKEN");
    }

    @Test
    void referenceTableHasOneRowPerKeyListingItsCommands() {
        String table = ConfigReference.markdown(Map.of("ingest", List.of(CommonKeys.BOOTSTRAP_SERVERS),
                "detector", List.of(CommonKeys.BOOTSTRAP_SERVERS)));
        assertThat(table.lines().filter(l -> l.contains("--bootstrap-servers"))).hasSize(1);
        assertThat(table).contains("`STRIX_BOOTSTRAP_SERVERS`").contains("localhost:9092");
    }
}
