package io.strix.aggregator.gateway;

import io.strix.aggregator.json.WireJson;
import io.strix.schema.CameraConfig;
import io.strix.schema.RuleSet;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Predicate;

/**
 * What this instance knows of every camera, from the compacted topics and the live ones: the cameras (registered in
 * strix.cameras or seen on any topic), each one's latest status and the rules in force. Every instance reads all of
 * it, so any instance answers for any camera. Written by the gateway's feed thread (and by the rules API after a
 * write), read from event loops.
 */
public final class CameraDirectory {
    /** Camera id to its registry entry, or null for a camera only seen on the live topics. */
    private final Map<String, Optional<CameraConfig>> cameras = new ConcurrentSkipListMap<>();
    private final Map<String, Outbound> statusMessages = new ConcurrentHashMap<>();
    private final Map<String, RuleSet> rules = new ConcurrentSkipListMap<>();
    private final Map<String, Outbound> rulesMessages = new ConcurrentHashMap<>();

    /** @return true when the camera is new to the list */
    public boolean seen(String cameraId) {
        return cameras.putIfAbsent(cameraId, Optional.empty()) == null;
    }

    /**
     * A registry record; null deletes the camera.
     *
     * @return true when the camera list changed
     */
    public boolean registered(String cameraId, CameraConfig config) {
        if (config == null) {
            statusMessages.remove(cameraId);
            return cameras.remove(cameraId) != null;
        }
        Optional<CameraConfig> before = cameras.put(cameraId, Optional.of(config));
        return before == null || before.isEmpty()
                || !java.util.Objects.equals(before.get().getName(), config.getName())
                || before.get().getEnabled() != config.getEnabled();
    }

    /** Whether the camera is registered or has been seen on any topic. */
    public boolean known(String cameraId) {
        return cameras.containsKey(cameraId);
    }

    public void status(String cameraId, Outbound message) {
        statusMessages.put(cameraId, message);
    }

    /** The camera's rules now in force; null when it has none. */
    public void rules(String cameraId, RuleSet ruleSet) {
        if (ruleSet == null) {
            rules.remove(cameraId);
        } else {
            rules.put(cameraId, ruleSet);
        }
        rulesMessages.put(cameraId, rulesMessage(cameraId, ruleSet));
    }

    public Optional<RuleSet> rules(String cameraId) {
        return Optional.ofNullable(rules.get(cameraId));
    }

    /** Every camera's rules, by camera id. */
    public Map<String, RuleSet> allRules() {
        return Map.copyOf(rules);
    }

    public JsonArray cameras() {
        JsonArray list = new JsonArray();
        cameras.forEach((id, config) -> list.add(WireJson.camera(id, config.orElse(null))));
        return list;
    }

    public Outbound camerasMessage() {
        return Outbound.text(null, null, new JsonObject().put("type", "cameras").put("cameras", cameras()).encode());
    }

    /** The latest status and rules messages of the cameras a new subscription covers. */
    List<Outbound> current(Stream stream, Predicate<String> cameraFilter) {
        Map<String, Outbound> source = switch (stream) {
            case STATUS -> statusMessages;
            case RULES -> rulesMessages;
            default -> Map.of();
        };
        List<Outbound> messages = new ArrayList<>();
        source.forEach((camera, message) -> {
            if (cameraFilter.test(camera)) {
                messages.add(message);
            }
        });
        return messages;
    }

    static Outbound rulesMessage(String cameraId, RuleSet ruleSet) {
        return Outbound.text(Stream.RULES, cameraId, new JsonObject().put("type", "rules").put("cameraId", cameraId)
                .put("rules", ruleSet == null ? null : WireJson.ruleSet(ruleSet)).encode());
    }
}
