package io.strix.aggregator.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one client wants: per stream, all cameras ({@code "*"}, including cameras that appear later) and/or a set of
 * cameras. The two are independent: unsubscribing one camera does not narrow a {@code "*"} subscription.
 */
final class Subscription {
    static final String ALL = "*";

    private final EnumSet<Stream> allCameras = EnumSet.noneOf(Stream.class);
    private final Map<Stream, Set<String>> cameras = new EnumMap<>(Stream.class);

    boolean wants(Outbound message) {
        if (message.stream() == null) {
            return true;
        }
        return allCameras.contains(message.stream())
                || cameras.getOrDefault(message.stream(), Set.of()).contains(message.cameraId());
    }

    boolean wants(Stream stream, String cameraId) {
        return allCameras.contains(stream) || cameras.getOrDefault(stream, Set.of()).contains(cameraId);
    }

    boolean wantsAny(Stream stream) {
        return allCameras.contains(stream) || !cameras.getOrDefault(stream, Set.of()).isEmpty();
    }

    void add(Collection<Stream> streams, Collection<String> cameraIds) {
        for (Stream stream : streams) {
            for (String camera : cameraIds) {
                if (camera.equals(ALL)) {
                    allCameras.add(stream);
                } else {
                    cameras.computeIfAbsent(stream, s -> new TreeSet<>()).add(camera);
                }
            }
        }
    }

    /** Whether adding these cameras leaves every one of these streams with at most {@code max} named cameras. */
    boolean fits(Collection<Stream> streams, Collection<String> cameraIds, int max) {
        for (Stream stream : streams) {
            Set<String> current = cameras.getOrDefault(stream, Set.of());
            long added = cameraIds.stream().filter(c -> !c.equals(ALL) && !current.contains(c)).count();
            if (current.size() + added > max) {
                return false;
            }
        }
        return true;
    }

    void remove(Collection<Stream> streams, Collection<String> cameraIds) {
        for (Stream stream : streams) {
            for (String camera : cameraIds) {
                if (camera.equals(ALL)) {
                    allCameras.remove(stream);
                    cameras.remove(stream);
                } else {
                    Set<String> set = cameras.get(stream);
                    if (set != null) {
                        set.remove(camera);
                    }
                }
            }
        }
    }

    /** {@code {"tracks": ["*"], "alerts": ["cam-1", "cam-2"]}}, streams without cameras left out. */
    JsonObject toJson() {
        JsonObject json = new JsonObject();
        for (Stream stream : Stream.values()) {
            JsonArray list = new JsonArray();
            if (allCameras.contains(stream)) {
                list.add(ALL);
            }
            cameras.getOrDefault(stream, Set.of()).forEach(list::add);
            if (!list.isEmpty()) {
                json.put(stream.wireName(), list);
            }
        }
        return json;
    }
}
