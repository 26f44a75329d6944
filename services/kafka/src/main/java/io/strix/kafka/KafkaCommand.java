package io.strix.kafka;

import io.strix.common.cli.StrixCommand;
import io.strix.common.config.Config;
import io.strix.common.config.ConfigKey;
import io.strix.common.lifecycle.Lifecycle;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** {@code strix kafka}: a real single-node KRaft broker for development, the demo and tests. */
public final class KafkaCommand implements StrixCommand {
    public static final ConfigKey<Integer> PORT = ConfigKey.integer("kafka.port", 9092, 0, 65535,
            "Kafka client port; 0 picks a free one.").withFlag("--port");
    public static final ConfigKey<String> HOST = ConfigKey.string("kafka.host", "localhost",
            "Host name the broker binds to and advertises to clients.").withFlag("--host");
    public static final ConfigKey<Path> DATA_DIR = ConfigKey.path("kafka.data.dir", "data/kafka",
            "Broker storage; formatted when new, reused (topics and records kept) when it exists.")
            .withFlag("--data-dir");

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public String summary() {
        return "Run a real single-node Kafka broker (KRaft) for development and the demo.";
    }

    @Override
    public List<ConfigKey<?>> keys() {
        return List.of(PORT, HOST, DATA_DIR);
    }

    @Override
    public int run(Config config) throws InterruptedException {
        EmbeddedKafka kafka = EmbeddedKafka.start(config.get(HOST), config.get(PORT), config.get(DATA_DIR), Map.of());
        System.out.println("Kafka ready at " + kafka.bootstrapServers());
        System.out.flush();
        new Lifecycle("kafka", kafka).awaitShutdown();
        return 0;
    }

    public static void main(String[] args) {
        System.exit(io.strix.common.cli.CommandLauncher.runStandalone(new KafkaCommand(), args));
    }
}
