package io.strix.common.http;

import java.util.Map;

/** Whether a service can do its work now (answers {@code /health/ready}); checked off the event loop. */
public interface Readiness {
    /** @return an empty map when ready, else each failing check's name and why */
    Map<String, String> problems();
}
