package io.strix.detector.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReplayTimeTest {
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    @Test
    void readsIsoInstants() {
        assertThat(ReplayTime.parse("2026-11-27T10:00:00Z").resolve(NOW)).isEqualTo("2026-11-27T10:00:00Z");
        assertThat(ReplayTime.parse("2026-11-27T10:00:00.250Z").resolve(NOW)).isEqualTo("2026-11-27T10:00:00.250Z");
        assertThat(ReplayTime.parse("2026-11-27T10:00Z").resolve(NOW)).isEqualTo("2026-11-27T10:00:00Z");
        assertThat(ReplayTime.parse(" 2026-11-27t10:00:00z ").resolve(NOW)).isEqualTo("2026-11-27T10:00:00Z");
    }

    @Test
    void readsInstantsWithAnOffset() {
        assertThat(ReplayTime.parse("2026-11-27T11:00:00+01:00").resolve(NOW)).isEqualTo("2026-11-27T10:00:00Z");
        assertThat(ReplayTime.parse("2026-11-27T05:30:00-04:30").resolve(NOW)).isEqualTo("2026-11-27T10:00:00Z");
    }

    @Test
    void countsRelativeTimesBackFromNow() {
        assertThat(ReplayTime.parse("now").resolve(NOW)).isEqualTo(NOW);
        assertThat(ReplayTime.parse("NOW").resolve(NOW)).isEqualTo(NOW);
        assertThat(ReplayTime.parse("-15m").resolve(NOW)).isEqualTo("2026-11-27T11:45:00Z");
        assertThat(ReplayTime.parse("-2h").resolve(NOW)).isEqualTo("2026-11-27T10:00:00Z");
        assertThat(ReplayTime.parse("-90s").resolve(NOW)).isEqualTo("2026-11-27T11:58:30Z");
        assertThat(ReplayTime.parse("-1d").resolve(NOW)).isEqualTo("2026-11-26T12:00:00Z");
        assertThat(ReplayTime.parse("-500ms").resolve(NOW)).isEqualTo("2026-11-27T11:59:59.500Z");
        assertThat(ReplayTime.parse("-1h30m").resolve(NOW)).isEqualTo("2026-11-27T10:30:00Z");
        assertThat(ReplayTime.parse("now-5m").resolve(NOW)).isEqualTo("2026-11-27T11:55:00Z");
    }

    @Test
    void resolvesOneRelativeTimeAgainstTheNowItIsGiven() {
        ReplayTime t = ReplayTime.parse("-1m");
        assertThat(t.resolve(NOW.plusSeconds(60))).isEqualTo(NOW);
        assertThat(t.toString()).isEqualTo("-1m");
    }

    @Test
    void rejectsWhatIsNoTimeAndSaysWhichFormsWork() {
        for (String bad : new String[] {"yesterday", "", "-15", "-m", "15 minutes ago", "2026-13-01T00:00:00Z",
                "-15x", "+15m"}) {
            assertThatThrownBy(() -> ReplayTime.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not a time").hasMessageContaining("2026-11-27T10:00:00Z")
                    .hasMessageContaining("-15m");
        }
    }

    @Test
    void hintsAtTheMissingZoneOrSign() {
        assertThatThrownBy(() -> ReplayTime.parse("2026-11-27T10:00:00")).hasMessageContaining("needs a zone");
        assertThatThrownBy(() -> ReplayTime.parse("15m")).hasMessageContaining("starts with '-'");
    }

    @Test
    void rejectsTimesFurtherBackThanACentury() {
        assertThatThrownBy(() -> ReplayTime.parse("-99999999999999999999d")).hasMessageContaining("100 years");
        assertThatThrownBy(() -> ReplayTime.parse("-40000d")).hasMessageContaining("100 years");
    }
}
