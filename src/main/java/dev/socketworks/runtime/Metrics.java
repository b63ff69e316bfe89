package dev.socketworks.runtime;

import dev.socketworks.outbox.OutboxMeter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;

/**
 * The deployment's metrics, in a Prometheus registry of its own (never Micrometer's global one: it
 * would outlive an undeploy), scraped at {@code GET /metrics}. JVM, GC, thread and process figures come
 * from Micrometer's binders; the rest are Socketworks' own, under {@code socketworks_}. Every meter a
 * message touches is resolved once per connection ({@link EndpointMeters}): on the hot path a metric
 * costs an adder's increment, no lookup, no lock.
 */
public final class Metrics implements AutoCloseable {

    /** Why a handshake was refused: a fixed set, so the refusals' series stay few. */
    public enum Refusal { CAPS, FLOOD, ORIGIN, HOST, TOKEN, REVOKED, RIGHTS, USER_CAP, SUBPROTOCOL, DRAINING }

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Map<String, EndpointMeters> endpoints = new ConcurrentHashMap<>();
    private final Map<Refusal, Counter> refusals = new ConcurrentHashMap<>();
    // Bounded: the API's calls times the few statuses they answer.
    private final Map<String, Counter> apiCalls = new ConcurrentHashMap<>();
    private final RecentEvents events = new RecentEvents();

    private final boolean on;

    Metrics() {
        this(true);
    }

    /**
     * {@code on} false ({@code metrics=off}): every meter is Micrometer's no-op, nothing is bound to
     * the JVM, {@code /metrics} answers 404. For measuring what the metrics cost, not for production.
     */
    Metrics(boolean on) {
        this.on = on;
        if (!on) {
            registry.config().meterFilter(io.micrometer.core.instrument.config.MeterFilter.deny());
            registerRefusals(); // no-op counters: the refusal paths need one each
            return;
        }
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry); // listens to the JVM's GC notifications until closed
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        registerRefusals();
    }

    private void registerRefusals() {
        for (Refusal refusal : Refusal.values()) {
            refusals.put(refusal, Counter.builder("socketworks.handshakes.refused").tag("reason", refusal.name().toLowerCase(java.util.Locale.ROOT))
                    .description("WebSocket handshakes refused, by reason").register(registry));
        }
    }

    /** The shared engine's figures: each command's round trip, reconnects, catch-ups. Nothing in memory. */
    void engine(dev.socketworks.hub.EngineStats stats) {
        if (stats == null) {
            return;
        }
        Timer roundTrips = Timer.builder("socketworks.engine.round.trip").description("each call to the shared engine, answered or failed")
                .publishPercentileHistogram().minimumExpectedValue(java.time.Duration.ofNanos(50_000))
                .maximumExpectedValue(java.time.Duration.ofSeconds(10)).register(registry);
        stats.measureRoundTripsWith(nanos -> roundTrips.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS));
        Timer pubSub = Timer.builder("socketworks.engine.pubsub.lag").description("from a publication on any server to this server hearing it")
                .publishPercentileHistogram().minimumExpectedValue(java.time.Duration.ofMillis(1))
                .maximumExpectedValue(java.time.Duration.ofSeconds(30)).register(registry);
        stats.measurePubSubLagWith(millis -> pubSub.record(millis, java.util.concurrent.TimeUnit.MILLISECONDS));
        io.micrometer.core.instrument.FunctionCounter.builder("socketworks.engine.reconnect.attempts", stats, s -> s.reconnects())
                .description("tries to get a lost connection to the shared engine back (commands and pub/sub each)").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("socketworks.engine.catch.ups", stats, s -> s.catchUps())
                .description("topics brought up to date from the engine's stream after a reconnect or a missed publication")
                .register(registry);
    }

    /** For the deployment's own gauges: rooms, arenas, queued bytes. */
    public MeterRegistry registry() {
        return registry;
    }

    /** A gauge read at each scrape from {@code source}, held weakly by Micrometer: keep {@code source} alive elsewhere. */
    public <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value) {
        Gauge.builder(name, source, value).description(description).register(registry);
    }

    void refused(Refusal refusal) {
        refusals.get(refusal).increment();
        events.add("refused", refusal.name().toLowerCase(java.util.Locale.ROOT), "handshake refused");
    }

    /**
     * One endpoint's figures since start-up: the admin page turns them into rates ({@code delivered} and
     * {@code deliveryLagMs}, the lag summed over them, into the mean lag between two snapshots).
     */
    public record EndpointFigures(String endpoint, int open, long opened, long received, long sent, long receivedBytes, long sentBytes,
                                  long rateLimited, long slowConsumers, long delivered, double deliveryLagMs) {
    }

    /** This server's figures now: its endpoints, its refusals by reason, its recent cuts and refusals. */
    public record Figures(List<EndpointFigures> endpoints, Map<String, Long> refusals, List<RecentEvents.Event> events) {
    }

    Figures figures() {
        List<EndpointFigures> each = endpoints.values().stream().map(EndpointMeters::figures)
                .sorted(java.util.Comparator.comparing(EndpointFigures::endpoint)).toList();
        Map<String, Long> refused = new java.util.TreeMap<>();
        refusals.forEach((reason, counter) -> refused.put(reason.name().toLowerCase(java.util.Locale.ROOT), (long) counter.count()));
        return new Figures(each, refused, events.newestFirst());
    }

    /** One API call answered: {@code call} is its path ("/api/totals"), {@code status} the HTTP status. */
    void apiCall(String call, int status) {
        apiCalls.computeIfAbsent(call + " " + status, key -> Counter.builder("socketworks.api.calls").tag("call", call)
                .tag("status", Integer.toString(status)).description("HTTP API calls answered, by call and status")
                .register(registry)).increment();
    }

    /** The meters of one endpoint (its path template, "/chat/{room}"), made on its first connection. */
    EndpointMeters endpoint(String path) {
        return endpoints.computeIfAbsent(path, EndpointMeters::new);
    }

    /** The Prometheus text format. */
    String scrape() {
        return registry.scrape();
    }

    /** Whether metrics are kept ({@code metrics=on}). */
    boolean on() {
        return on;
    }

    @Override
    public void close() {
        gc.close(); // its GC listeners would keep this application's classes after undeploy
        registry.close();
    }

    /** Close codes as series: the standard ones each, the application ranges as one each. */
    static String codeLabel(int code) {
        if (code >= 1000 && code <= 1015) {
            return Integer.toString(code);
        }
        if (code >= 3000 && code <= 3999) {
            return "3xxx";
        }
        return code >= 4000 && code <= 4999 ? "4xxx" : "other";
    }

    /** One endpoint's connections, messages and bytes. */
    final class EndpointMeters implements OutboxMeter {
        private final String path;
        final AtomicInteger open = new AtomicInteger();
        final Counter opened;
        final Counter received;
        final Counter receivedBytes;
        final Counter sent;
        final Counter sentBytes;
        final Counter rateLimited;
        final Counter slowConsumers;
        final Timer deliveryLag;
        final Timer confirmedLag;
        private final Map<String, Counter> closes = new ConcurrentHashMap<>();

        EndpointMeters(String path) {
            this.path = path;
            Gauge.builder("socketworks.connections.open", open, AtomicInteger::get).tag("endpoint", path)
                    .description("WebSocket connections open now").register(registry);
            opened = counter("socketworks.connections.opened", "WebSocket connections opened");
            received = counter("socketworks.messages.received", "complete messages received from clients");
            receivedBytes = counter("socketworks.bytes.received", "bytes of complete messages received (UTF-8 for text)");
            sent = counter("socketworks.messages.sent", "messages handed to the network");
            sentBytes = counter("socketworks.bytes.sent", "bytes of messages handed to the network (UTF-8 for text)");
            rateLimited = counter("socketworks.messages.rate.limited", "messages dropped by a client's rate limit");
            slowConsumers = counter("socketworks.slow.consumers", "clients closed 1008 slow consumer: they fell too far behind");
            deliveryLag = lag("socketworks.delivery.lag", "from a publication (the publishing server's clock) to its send completing here");
            confirmedLag = lag("socketworks.delivery.confirmed.lag",
                    "from a publication to the client's sw-ack pong confirming it read it (sampled at each delivery mark)");
        }

        /** Buckets from 1 ms to 30 s, lock-free to record; the quantiles are Prometheus's to compute. */
        private Timer lag(String name, String description) {
            return Timer.builder(name).tag("endpoint", path).description(description).publishPercentileHistogram()
                    .minimumExpectedValue(java.time.Duration.ofMillis(1)).maximumExpectedValue(java.time.Duration.ofSeconds(30))
                    .register(registry);
        }

        @Override
        public void delivered(long lagMillis) {
            deliveryLag.record(Math.max(0, lagMillis), java.util.concurrent.TimeUnit.MILLISECONDS); // clocks of two servers may disagree
        }

        @Override
        public void confirmed(long lagMillis) {
            confirmedLag.record(Math.max(0, lagMillis), java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        private Counter counter(String name, String description) {
            return Counter.builder(name).tag("endpoint", path).description(description).register(registry);
        }

        EndpointFigures figures() {
            return new EndpointFigures(path, open.get(), (long) opened.count(), (long) received.count(), (long) sent.count(),
                    (long) receivedBytes.count(), (long) sentBytes.count(), (long) rateLimited.count(), (long) slowConsumers.count(),
                    deliveryLag.count(), deliveryLag.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS));
        }

        /** A close the server made for a reason an operator wants to see (policy, too big, fault, overload). */
        void closed(int code, String reason) {
            if ((code == 1008 || code == 1009 || code == 1011 || code == 1013) && !reason.equals("slow consumer")) { // a cut, listed already
                events.add("closed", path, code + " " + reason);
            }
            closed(code);
        }

        void closed(int code) {
            closes.computeIfAbsent(codeLabel(code), label -> Counter.builder("socketworks.connections.closed")
                    .tag("endpoint", path).tag("code", label).description("WebSocket connections closed, by close code")
                    .register(registry)).increment();
        }

        @Override
        public void sent(long bytes) {
            sent.increment();
            sentBytes.increment(bytes);
        }

        @Override
        public void cutSlow() {
            slowConsumers.increment();
            events.add("cut", path, "slow consumer");
        }
    }
}
