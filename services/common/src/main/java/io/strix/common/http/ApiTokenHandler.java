package io.strix.common.http;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Requires the API token on the routes it guards: {@code Authorization: Bearer TOKEN}, or
 * {@code ?access_token=TOKEN} where a client cannot set headers (browser WebSockets).
 */
public final class ApiTokenHandler implements Handler<RoutingContext> {
    private final byte[] token;

    public ApiTokenHandler(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("API token must not be blank");
        }
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void handle(RoutingContext ctx) {
        String presented = null;
        String header = ctx.request().getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = header.substring(7).strip();
        } else if (ctx.request().getParam("access_token") != null) {
            presented = ctx.request().getParam("access_token");
        }
        // Constant-time comparison: the answer time must not reveal how much of the token matched.
        if (presented != null && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8))) {
            ctx.next();
            return;
        }
        ctx.response().setStatusCode(401)
                .putHeader("WWW-Authenticate", "Bearer realm=\"strix\"")
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", presented == null
                        ? "API token required: send 'Authorization: Bearer TOKEN' (or ?access_token=TOKEN)"
                        : "wrong API token").encode());
    }
}
