package io.strix.common.kafka;

import java.util.List;
import java.util.Map;

/**
 * What {@link TopicAdmin#ensureTopics} found: topics it created, topics already right, and existing topics whose
 * settings differ from the declaration (left alone: changing partitions or retention is an operator's decision).
 */
public record TopicReport(List<String> created, List<String> unchanged, Map<String, List<String>> differing) {
    public boolean allAsDeclared() {
        return differing.isEmpty();
    }
}
