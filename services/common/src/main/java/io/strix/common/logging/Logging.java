package io.strix.common.logging;

import io.strix.common.config.CommonKeys.LogFormat;
import java.util.Locale;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;

/**
 * Chooses the log layout. Logs go to stderr, plain by default or JSON (ECS) lines, so that stdout carries only what
 * a command prints for its user ("Kafka ready at ...").
 */
public final class Logging {
    static final String FORMAT_PROPERTY = "strix.log.format";

    private Logging() {
    }

    public static void configure(LogFormat format) {
        String wanted = format.name().toLowerCase(Locale.ROOT);
        if (wanted.equals(System.getProperty(FORMAT_PROPERTY))) {
            return;
        }
        System.setProperty(FORMAT_PROPERTY, wanted);
        // log4j2.xml picks its appender from the property; reload in case a logger was created before.
        ((LoggerContext) LogManager.getContext(false)).reconfigure();
    }
}
