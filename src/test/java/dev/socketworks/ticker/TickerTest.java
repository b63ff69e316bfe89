package dev.socketworks.ticker;

import dev.socketworks.hub.Hub;
import dev.socketworks.hub.InMemoryHub;
import dev.socketworks.hub.Message;
import dev.socketworks.hub.Subscriber;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class TickerTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final InMemoryHub hub = new InMemoryHub();
    private final List<String> published = new CopyOnWriteArrayList<>();
    private final CountDownLatch threeTicks = new CountDownLatch(3);

    TickerTest() {
        hub.subscribe(Ticker.TOPIC, new Subscriber() {
            @Override
            public void deliver(Message message) {
                published.add(message.text());
                threeTicks.countDown();
            }

            @Override
            public void flush() {
            }
        });
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void theFirstClientStartsOneTimerForAllAndTheLastStopsIt() throws Exception {
        Ticker ticker = new Ticker(hub, scheduler, "Hello!", Duration.ofMillis(20));
        assertThat(ticker.isRunning()).isFalse();
        ticker.clientArrived();
        ticker.clientArrived();
        assertThat(threeTicks.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(published).allMatch("Hello!"::equals);
        ticker.clientLeft();
        assertThat(ticker.isRunning()).as("one client is left").isTrue();
        ticker.clientLeft();
        assertThat(ticker.isRunning()).isFalse();
        ticker.clientLeft(); // a close reported twice counts nobody out twice
        ticker.clientArrived();
        assertThat(ticker.isRunning()).as("a new first client starts it again").isTrue();
    }

    @Test
    void aServerWithoutTheLeasePublishesNothing() {
        InMemoryHub engine = new InMemoryHub();
        // The same hub, but another server holds the lease.
        Hub leasedElsewhere = (Hub) java.lang.reflect.Proxy.newProxyInstance(Hub.class.getClassLoader(), new Class<?>[]{Hub.class},
                (proxy, method, args) -> method.getName().equals("lease") ? Boolean.FALSE : method.invoke(engine, args));
        List<String> seen = new CopyOnWriteArrayList<>();
        leasedElsewhere.subscribe(Ticker.TOPIC, new Subscriber() {
            @Override
            public void deliver(Message message) {
                seen.add(message.text());
            }

            @Override
            public void flush() {
            }
        });
        new Ticker(leasedElsewhere, scheduler, "Hello!", Duration.ofMillis(20)).tick();
        assertThat(seen).isEmpty();
        new Ticker(hub, scheduler, "Hello!", Duration.ofMillis(20)).tick();
        assertThat(published).containsExactly("Hello!");
    }
}
