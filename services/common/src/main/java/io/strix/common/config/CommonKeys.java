package io.strix.common.config;

/** Settings that several services share. */
public final class CommonKeys {
    public static final ConfigKey<String> BOOTSTRAP_SERVERS = ConfigKey.string("bootstrap.servers", "localhost:9092",
            "Kafka bootstrap servers, host:port[,host:port...].");
    public static final ConfigKey<Integer> HTTP_PORT = ConfigKey.integer("http.port", 8080, 0, 65535,
            "Port of the HTTP server (REST API, /health/live, /health/ready, /metrics); 0 picks a free one.");
    public static final ConfigKey<String> API_TOKEN = ConfigKey.secret("api.token",
            "When set, every REST and WebSocket endpoint requires it (Authorization: Bearer TOKEN, or "
                    + "?access_token=TOKEN for WebSockets); health and metrics stay open.");
    public static final ConfigKey<LogFormat> LOG_FORMAT = ConfigKey.choice("log.format", LogFormat.class,
            LogFormat.PLAIN, "Log lines as plain text or as JSON (one object per line).");
    public static final ConfigKey<Integer> TOPIC_PARTITIONS = ConfigKey.integer("topic.partitions", 12, 1, 10_000,
            "Partitions of the strix.* topics that a service creates when missing; bounds how many instances share"
                    + " the work.");
    public static final ConfigKey<Integer> TOPIC_REPLICATION = ConfigKey.integer("topic.replication.factor", -1, -1,
            100, "Replication factor of created topics; -1 takes the broker's default.replication.factor.");

    /** How log lines are written. */
    public enum LogFormat { PLAIN, JSON }

    private CommonKeys() {
    }
}
