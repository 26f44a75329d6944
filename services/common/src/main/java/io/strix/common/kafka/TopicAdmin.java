package io.strix.common.kafka;

import io.strix.wire.Topic;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates missing Strix topics and reports existing ones whose settings differ from their declaration. */
public final class TopicAdmin {
    private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);
    private static final long TIMEOUT_SECONDS = 30;
    private static final int METADATA_ATTEMPTS = 10;

    private TopicAdmin() {
    }

    /**
     * Idempotent: safe to call from every instance of every service at start-up, also concurrently.
     *
     * @param partitions        partitions of topics it creates
     * @param replicationFactor replication of topics it creates; -1 for the broker's default
     */
    public static TopicReport ensureTopics(Admin admin, Collection<Topic<?>> topics, int partitions,
                                           int replicationFactor)
            throws InterruptedException, ExecutionException, TimeoutException {
        Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<NewTopic> missing = topics.stream()
                .filter(t -> !existing.contains(t.name()))
                .map(t -> new NewTopic(t.name(), Optional.of(partitions),
                        replicationFactor < 0 ? Optional.empty() : Optional.of((short) replicationFactor))
                        .configs(t.configs()))
                .toList();
        List<String> created = new ArrayList<>();
        if (!missing.isEmpty()) {
            CreateTopicsResult result = admin.createTopics(missing);
            for (NewTopic topic : missing) {
                try {
                    result.values().get(topic.name()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    created.add(topic.name());
                    LOG.info("Created topic {} ({} partitions, {})", topic.name(), partitions, topic.configs());
                } catch (ExecutionException e) {
                    // Another instance created it between our listing and our request: fine.
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
        // Created topics are checked too: that waits until they are visible, so callers can use them at once.
        Map<String, List<String>> differing = differences(admin, List.copyOf(topics), partitions);
        List<String> unchanged = topics.stream().map(Topic::name)
                .filter(n -> !created.contains(n) && !differing.containsKey(n)).toList();
        differing.forEach((topic, diffs) ->
                LOG.warn("Topic {} exists with other settings than Strix declares: {}", topic, diffs));
        return new TopicReport(List.copyOf(created), unchanged, differing);
    }

    private static Map<String, List<String>> differences(Admin admin, List<Topic<?>> topics, int partitions)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, List<String>> differing = new LinkedHashMap<>();
        if (topics.isEmpty()) {
            return differing;
        }
        List<String> names = topics.stream().map(Topic::name).toList();
        List<ConfigResource> resources = names.stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
        Map<String, TopicDescription> descriptions;
        Map<ConfigResource, Config> configs;
        for (int attempt = 1; ; attempt++) {
            try {
                descriptions = admin.describeTopics(names).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                configs = admin.describeConfigs(resources).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                break;
            } catch (ExecutionException e) {
                // A topic created a moment ago (by another instance) may not have reached every broker's metadata.
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || attempt == METADATA_ATTEMPTS) {
                    throw e;
                }
                Thread.sleep(200L * attempt);
            }
        }
        for (Topic<?> topic : topics) {
            List<String> diffs = new ArrayList<>();
            int actualPartitions = descriptions.get(topic.name()).partitions().size();
            if (actualPartitions != partitions) {
                diffs.add("partitions=" + actualPartitions + " (declared " + partitions + ")");
            }
            Config actual = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()));
            topic.configs().forEach((key, declared) -> {
                String value = actual.get(key) == null ? null : actual.get(key).value();
                if (!declared.equals(value)) {
                    diffs.add(key + "=" + value + " (declared " + declared + ")");
                }
            });
            if (!diffs.isEmpty()) {
                differing.put(topic.name(), diffs.stream().sorted().collect(Collectors.toList()));
            }
        }
        return differing;
    }
}
