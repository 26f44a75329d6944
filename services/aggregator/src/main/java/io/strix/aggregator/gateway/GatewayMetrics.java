package io.strix.aggregator.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/** The WebSocket gateway's meters: clients connected, messages sent and dropped, disconnects and bad requests. */
final class GatewayMetrics {
    private final MeterRegistry registry;
    private final Counter sent;
    private final Counter dropped;
    private final Counter protocolErrors;

    GatewayMetrics(MeterRegistry registry, Supplier<Number> clients) {
        this.registry = registry;
        Gauge.builder("strix.ws.clients", clients).description("WebSocket clients connected").register(registry);
        sent = Counter.builder("strix.ws.messages.sent").description("Messages written to WebSocket clients")
                .register(registry);
        dropped = Counter.builder("strix.ws.messages.dropped")
                .description("Messages dropped because a client's queue was full (oldest first)").register(registry);
        protocolErrors = Counter.builder("strix.ws.protocol.errors")
                .description("Client messages answered with an error").register(registry);
    }

    void sent() {
        sent.increment();
    }

    void dropped() {
        dropped.increment();
    }

    void protocolError() {
        protocolErrors.increment();
    }

    void disconnected(String reason) {
        Counter.builder("strix.ws.disconnects").description("Clients disconnected by the server")
                .tag("reason", reason).register(registry).increment();
    }
}
