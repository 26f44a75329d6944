package io.strix.aggregator.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** JSON answers of the aggregator's REST API: {@code {"error": ..., "problems": [{"field": ..., "message": ...}]}}. */
final class Answers {
    private Answers() {
    }

    static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }

    static void error(RoutingContext ctx, int status, String message) {
        json(ctx, status, new JsonObject().put("error", message));
    }

    /** @param problems each {@code "field: message"}, as the rule set validator and reader word them */
    static void invalid(RoutingContext ctx, String message, List<String> problems) {
        JsonArray list = new JsonArray();
        for (String problem : problems) {
            int colon = problem.indexOf(": ");
            list.add(colon < 0 ? new JsonObject().put("field", "").put("message", problem)
                    : new JsonObject().put("field", problem.substring(0, colon))
                            .put("message", problem.substring(colon + 2)));
        }
        json(ctx, 400, new JsonObject().put("error", message).put("problems", list));
    }
}
