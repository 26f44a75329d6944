package io.strix.common.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's HTTP server: {@code /health/live}, {@code /health/ready}, {@code /metrics} (Prometheus), and the
 * service's own REST routes under {@code /api} and WebSockets under {@code /ws}, which require the API token when
 * one is set. Health and metrics stay open so probes and scrapers need no secret.
 *
 * <p>Whatever goes wrong is answered in JSON, {@code {"error": "..."}}: an unknown path (404), a method the path does
 * not take (405), a body over the route's limit (413), and a failure inside a handler (500, whose details go to the
 * log, never to the client).
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    private static final String BODY_LIMIT = "strix.body-limit";

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
        for (int status : new int[] {400, 404, 405, 413, 500}) {
            router.errorHandler(status, ctx -> failed(ctx, status));
        }
    }

    /** Reads request bodies up to {@code maxBytes}; a larger one gets a 413 that names the limit. */
    public static Handler<RoutingContext> bodyHandler(int maxBytes) {
        BodyHandler body = BodyHandler.create().setBodyLimit(maxBytes);
        return ctx -> {
            ctx.put(BODY_LIMIT, maxBytes);
            body.handle(ctx);
        };
    }

    /** Where services add their REST and WebSocket routes. */
    public Router router() {
        return router;
    }

    /** Starts listening; the future gives the bound port (useful with port 0). */
    public Future<Integer> start() {
        // HTTP/1.1 (and WebSockets) only: Vert.x's h2c upgrade (an "Upgrade: h2c" request, which Java's HttpClient
        // sends by default) garbles large first answers, such as a /metrics scrape, now and then.
        HttpServerOptions options = new HttpServerOptions().setHttp2ClearTextEnabled(false);
        return vertx.createHttpServer(options).requestHandler(router).listen(port).map(s -> {
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

    private static void failed(RoutingContext ctx, int status) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        String request = ctx.request().method() + " " + ctx.request().path();
        String message = switch (status) {
            case 404 -> "nothing at " + request;
            case 405 -> request + ": the method is not allowed on this path";
            case 413 -> request + ": the body is larger than " + (ctx.get(BODY_LIMIT) instanceof Integer limit
                    ? limit / 1024 + " KiB" : "this server takes");
            case 400 -> request + ": malformed request";
            default -> "internal error; the server's log has the details";
        };
        if (status == 500) {
            LOG.error("{} failed", request, ctx.failure());
        }
        if (ctx.response().headWritten()) {
            ctx.request().connection().close(); // too late for an answer of its own
            return;
        }
        json(ctx, status, new JsonObject().put("error", message));
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
