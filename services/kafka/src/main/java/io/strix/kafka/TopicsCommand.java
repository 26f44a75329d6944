package io.strix.kafka;

import io.strix.common.cli.StrixCommand;
import io.strix.common.config.CommonKeys;
import io.strix.common.config.Config;
import io.strix.common.config.ConfigKey;
import io.strix.common.kafka.KafkaClients;
import io.strix.common.kafka.TopicAdmin;
import io.strix.common.kafka.TopicReport;
import io.strix.wire.Topics;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;

/** {@code strix topics}: creates the missing strix.* topics and reports existing ones whose settings differ. */
public final class TopicsCommand implements StrixCommand {
    @Override
    public String name() {
        return "topics";
    }

    @Override
    public String summary() {
        return "Create the missing strix.* topics and report existing ones whose settings differ.";
    }

    @Override
    public List<ConfigKey<?>> keys() {
        return List.of(CommonKeys.BOOTSTRAP_SERVERS, CommonKeys.TOPIC_PARTITIONS, CommonKeys.TOPIC_REPLICATION);
    }

    @Override
    public int run(Config config) throws Exception {
        try (Admin admin = Admin.create(KafkaClients.admin(config.get(CommonKeys.BOOTSTRAP_SERVERS), "strix-topics"))) {
            TopicReport report = TopicAdmin.ensureTopics(admin, Topics.ALL, config.get(CommonKeys.TOPIC_PARTITIONS),
                    config.get(CommonKeys.TOPIC_REPLICATION));
            report.created().forEach(t -> System.out.println("created   " + t));
            report.unchanged().forEach(t -> System.out.println("ok        " + t));
            report.differing().forEach((t, diffs) -> System.out.println("differs   " + t + ": " + diffs));
            // Differences are reported, not fatal: changing partitions or retention is an operator's call.
            return 0;
        }
    }
}
