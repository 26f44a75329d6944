package io.strix.common.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's HTTP server: {@code /health/live}, {@code /health/ready}, {@code /metrics} (Prometheus), and the
 * service's own REST routes under {@code /api} and WebSockets under {@code /ws}, which require the API token when
 * one is set. Health and metrics stay open so probes and scrapers need no secret.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

    private final Vertx vertx;
    private final Router router;
    private final int port;
    private HttpServer server;

    public AdminServer(Vertx vertx, int port, PrometheusMeterRegistry registry, Readiness readiness,
                       Optional<String> apiToken) {
        this.vertx = vertx;
        this.port = port;
        this.router = Router.router(vertx);
        router.get("/health/live").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "UP")));
        router.get("/health/ready").handler(ctx -> ready(ctx, readiness));
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(registry.scrape()));
        apiToken.filter(t -> !t.isBlank()).ifPresent(token -> {
            ApiTokenHandler auth = new ApiTokenHandler(token);
            router.route("/api/*").order(-1).handler(auth);
            router.route("/ws").order(-1).handler(auth);
            router.route("/ws/*").order(-1).handler(auth);
        });
    }

    /** Where services add their REST and WebSocket routes. */
    public Router router() {
        return router;
    }

    /** Starts listening; the future gives the bound port (useful with port 0). */
    public Future<Integer> start() {
        return vertx.createHttpServer().requestHandler(router).listen(port).map(s -> {
            server = s;
            LOG.info("HTTP server listening on port {}", s.actualPort());
            return s.actualPort();
        });
    }

    public int actualPort() {
        return server == null ? -1 : server.actualPort();
    }

    private void ready(RoutingContext ctx, Readiness readiness) {
        // Checks may block (a broker round trip): keep them off the event loop.
        vertx.<Map<String, String>>executeBlocking(readiness::problems, false).onComplete(result -> {
            if (result.failed()) {
                json(ctx, 503, new JsonObject().put("status", "DOWN")
                        .put("problems", new JsonObject().put("readiness", String.valueOf(result.cause()))));
            } else if (result.result().isEmpty()) {
                json(ctx, 200, new JsonObject().put("status", "UP"));
            } else {
                JsonObject problems = new JsonObject();
                result.result().forEach(problems::put);
                json(ctx, 503, new JsonObject().put("status", "DOWN").put("problems", problems));
            }
        });
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().await();
        }
    }
}
