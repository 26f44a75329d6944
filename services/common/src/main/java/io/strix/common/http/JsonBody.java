package io.strix.common.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads a JSON object from a REST request's body or a WebSocket message, or says in words a client understands
 * (never in Java) why it is none.
 */
public final class JsonBody {
    private JsonBody() {
    }

    /** The text is no JSON object; the message completes "the body ...": "is an array", "is not valid JSON (...)". */
    public static final class NotAnObjectException extends Exception {
        NotAnObjectException(String message) {
            super(message);
        }
    }

    /**
     * @param what what the object should hold, for the message, e.g. "a camera, with at least cameraId and url"
     * @throws NotAnObjectException saying "the body is an array; it must be a JSON object: a camera, ..."
     */
    public static JsonObject object(RoutingContext ctx, String what) throws NotAnObjectException {
        try {
            return parse(ctx.body().buffer());
        } catch (NotAnObjectException e) {
            throw new NotAnObjectException("the body " + e.getMessage() + "; it must be a JSON object: " + what);
        }
    }

    /** @throws NotAnObjectException whose message says what the text is instead: "is empty", "is an array", ... */
    public static JsonObject parse(Buffer text) throws NotAnObjectException {
        if (text == null || text.toString().isBlank()) {
            throw new NotAnObjectException("is empty");
        }
        Object value;
        try {
            value = Json.decodeValue(text);
        } catch (DecodeException e) {
            throw new NotAnObjectException("is not valid JSON (" + firstLine(e.getMessage()) + ")");
        }
        if (value instanceof JsonObject object) {
            return object;
        }
        throw new NotAnObjectException(value == null ? "is null" : value instanceof JsonArray ? "is an array"
                : value instanceof String ? "is a string" : value instanceof Boolean ? "is a boolean" : "is a number");
    }

    private static String firstLine(String message) {
        String text = String.valueOf(message).replace("Failed to decode:", "").strip();
        int newline = text.indexOf('\n');
        text = newline < 0 ? text : text.substring(0, newline);
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
