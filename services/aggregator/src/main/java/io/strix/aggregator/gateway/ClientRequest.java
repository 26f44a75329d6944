package io.strix.aggregator.gateway;

import io.strix.common.http.JsonBody;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A WebSocket client's text message, parsed and checked (protocol: docs/websocket-api.md): subscribe or
 * unsubscribe some streams of some cameras, or ping. Anything else is an {@link InvalidRequestException} whose
 * message tells the client what is wrong.
 *
 * @param id      the client's request id (a string or a number), echoed in the answer; null when it sent none
 * @param streams for (un)subscribe: the streams named, or all of them when it named none
 * @param cameras for (un)subscribe: the camera ids named, or {@code "*"}
 */
record ClientRequest(Op op, Object id, Set<Stream> streams, Set<String> cameras) {
    /** The most camera ids one request may list, and one client's subscription may name per stream. */
    static final int MAX_CAMERAS = 10_000;
    static final int MAX_CAMERA_ID_LENGTH = 256;

    enum Op { SUBSCRIBE, UNSUBSCRIBE, PING }

    /** A message the gateway cannot act on; {@link #id()} is the request id when one could be read. */
    static final class InvalidRequestException extends Exception {
        private final transient Object id;

        InvalidRequestException(Object id, String message) {
            super(message);
            this.id = id;
        }

        Object id() {
            return id;
        }
    }

    static ClientRequest parse(String text) throws InvalidRequestException {
        JsonObject message;
        try {
            message = JsonBody.parse(Buffer.buffer(text));
        } catch (JsonBody.NotAnObjectException e) {
            throw new InvalidRequestException(null, "not a JSON object: the message " + e.getMessage());
        }
        Object id = message.getValue("id");
        if (!(id instanceof String || id instanceof Number)) {
            id = null;
        }
        Object op = message.getValue("op");
        if ("ping".equals(op)) {
            return new ClientRequest(Op.PING, id, Set.of(), Set.of());
        }
        if (!"subscribe".equals(op) && !"unsubscribe".equals(op)) {
            throw new InvalidRequestException(id, op == null ? "missing field 'op'; one of subscribe, unsubscribe, ping"
                    : "unknown op '" + shorten(String.valueOf(op)) + "'; one of subscribe, unsubscribe, ping");
        }
        List<String> problems = new ArrayList<>();
        Set<Stream> streams = streams(message.getValue("streams"), problems);
        Set<String> cameras = cameras(message.getValue("cameras"), problems);
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(id, String.join("; ", problems));
        }
        return new ClientRequest("subscribe".equals(op) ? Op.SUBSCRIBE : Op.UNSUBSCRIBE, id, streams, cameras);
    }

    private static Set<Stream> streams(Object value, List<String> problems) {
        Set<Stream> streams = new LinkedHashSet<>();
        if (value == null) {
            streams.addAll(Arrays.asList(Stream.values()));
            return streams;
        }
        if (!(value instanceof JsonArray array)) {
            problems.add("'streams' must be an array of " + streamNames());
            return streams;
        }
        for (Object item : array) {
            Stream stream = item instanceof String s ? Stream.fromWire(s).orElse(null) : null;
            if (stream == null) {
                problems.add("unknown stream " + (item instanceof String ? "'" + shorten((String) item) + "'"
                        : shorten(String.valueOf(item))) + " in 'streams'; streams: " + streamNames());
                if (problems.size() >= 10) {
                    break;
                }
            } else {
                streams.add(stream);
            }
        }
        return streams;
    }

    private static Set<String> cameras(Object value, List<String> problems) {
        Set<String> cameras = new LinkedHashSet<>();
        if (Subscription.ALL.equals(value)) {
            cameras.add(Subscription.ALL);
            return cameras;
        }
        if (!(value instanceof JsonArray array)) {
            problems.add("'cameras' must be \"*\" (every camera) or an array of camera ids");
            return cameras;
        }
        if (array.size() > MAX_CAMERAS) {
            problems.add("'cameras' lists " + array.size() + " ids, at most " + MAX_CAMERAS);
            return cameras;
        }
        for (Object item : array) {
            if (item instanceof String s && !s.isBlank() && s.length() <= MAX_CAMERA_ID_LENGTH) {
                cameras.add(s);
            } else {
                problems.add("camera ids in 'cameras' must be non-empty strings of at most "
                        + MAX_CAMERA_ID_LENGTH + " characters, got " + shorten(String.valueOf(item)));
                return cameras;
            }
        }
        return cameras;
    }

    private static String streamNames() {
        return String.join(", ", Arrays.stream(Stream.values()).map(Stream::wireName).toList());
    }

    static String shorten(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
