package io.strix.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.strix.common.config.ConfigReference;
import io.strix.wire.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's topic table and configuration reference are rendered from the code; this test keeps them true.
 * When it fails, paste the file it names into the README between the markers.
 */
class ReadmeTest {
    private static final Path README = Path.of("../../README.md");

    @Test
    void topicTableMatchesTheDeclarations() throws Exception {
        assertSection("topics", Topics.markdownTable());
    }

    @Test
    void configurationReferenceMatchesTheCommandsKeys() throws Exception {
        var launcher = StrixMain.launcher(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        assertSection("configuration", ConfigReference.markdown(launcher.keysByCommand()));
    }

    @Test
    void readmeShowsTheDemoAndTheTestCommand() throws Exception {
        String readme = Files.readString(README);
        assertThat(readme).contains("./strix demo").contains("./mvnw verify");
    }

    private static void assertSection(String name, String expected) throws Exception {
        Path rendered = Path.of("target", "readme-" + name + ".md");
        Files.createDirectories(rendered.getParent());
        Files.writeString(rendered, expected);
        String readme = Files.readString(README);
        String start = "<!-- " + name + ":start -->\n";
        String end = "<!-- " + name + ":end -->";
        assertThat(readme).as("README.md has the %s markers", name).contains(start).contains(end);
        String actual = readme.substring(readme.indexOf(start) + start.length(), readme.indexOf(end));
        assertThat(actual).as("README.md %s section is stale: paste services/app/%s", name, rendered).isEqualTo(expected);
    }
}
