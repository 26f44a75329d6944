package io.strix.detector.replay;

import io.strix.common.config.ConfigKey;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A point in time as a user writes it on the command line: an ISO-8601 instant ({@code 2026-11-27T10:00:00Z},
 * {@code 2026-11-27T11:00:00+01:00}) or a time before now ({@code now}, {@code -15m}, {@code -2h}, {@code -1h30m},
 * {@code now-90s}; units ms, s, m, h, d). Relative times are resolved against one "now" per run, so
 * {@code --from -15m --to now} spans exactly 15 minutes.
 *
 * @param absolute  the instant given, or null for a relative time
 * @param beforeNow how long before now, for a relative time
 */
public record ReplayTime(String text, Instant absolute, Duration beforeNow) {
    private static final Pattern RELATIVE = Pattern.compile("(?:now)?-((?:\\d+(?:ms|s|m|h|d))+)");
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Duration FURTHEST_BACK = Duration.ofDays(36_525);
    static final String FORMS = "an ISO-8601 instant (2026-11-27T10:00:00Z, 2026-11-27T11:00:00+01:00) or a time "
            + "before now (now, -15m, -2h, -1h30m, -90s, -1d)";

    public static final ReplayTime NOW = new ReplayTime("now", null, Duration.ZERO);

    /** Parses {@code text}; the exception's message says which forms are understood. */
    public static ReplayTime parse(String text) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        if (s.equals("now")) {
            return NOW;
        }
        Matcher relative = RELATIVE.matcher(s);
        if (relative.matches()) {
            Duration before = Duration.ZERO;
            Matcher part = PART.matcher(relative.group(1));
            try {
                while (part.find()) {
                    long amount = Long.parseLong(part.group(1));
                    before = before.plus(switch (part.group(2)) {
                        case "ms" -> Duration.ofMillis(amount);
                        case "s" -> Duration.ofSeconds(amount);
                        case "m" -> Duration.ofMinutes(amount);
                        case "h" -> Duration.ofHours(amount);
                        default -> Duration.ofDays(amount);
                    });
                }
            } catch (ArithmeticException | NumberFormatException e) {
                before = null;
            }
            if (before == null || before.compareTo(FURTHEST_BACK) > 0) {
                throw new IllegalArgumentException("'" + text + "' reaches back more than 100 years");
            }
            return new ReplayTime(text.strip(), null, before);
        }
        try {
            return new ReplayTime(text.strip(), OffsetDateTime.parse(text.strip().toUpperCase(Locale.ROOT))
                    .toInstant(), null);
        } catch (DateTimeParseException e) {
            String hint = s.matches("\\d{4}-\\d\\d-\\d\\dt[0-9:.]+") ? " (it needs a zone: Z or +01:00)"
                    : s.matches("\\d+(ms|s|m|h|d)") ? " (a time before now starts with '-')" : "";
            throw new IllegalArgumentException("'" + text + "' is not a time" + hint + "; give " + FORMS);
        }
    }

    /** The instant this time names, relative times counted back from {@code now}. */
    public Instant resolve(Instant now) {
        return absolute != null ? absolute : now.minus(beforeNow);
    }

    /** A setting holding such a time. */
    public static ConfigKey<ReplayTime> key(String name, ReplayTime defaultValue, boolean required, String doc) {
        return new ConfigKey<>(name, "time", ReplayTime::parse, defaultValue, required, false, doc);
    }

    @Override
    public String toString() {
        return text;
    }
}
