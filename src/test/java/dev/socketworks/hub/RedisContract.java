package dev.socketworks.hub;

import org.junit.jupiter.api.AfterEach;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The hub contract on a Redis the test run started; each hub connected before use and closed after each test. */
abstract class RedisContract extends HubContract {

    // Static: the contract builds its hub in a field initializer, before a subclass's fields exist.
    private static final List<RedisHub> OPENED = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** The engine URI of the Redis (or Redis Cluster) under test. */
    protected abstract String uri();

    @Override
    protected Hub newHub() {
        return open("test", "t" + UUID.randomUUID() + ":");
    }

    /** A hub on {@link #uri()}, connected (within 10 s); several sharing a prefix are servers sharing topics. */
    protected RedisHub open(String node, String prefix) {
        RedisHub hub = new RedisHub(uri(), node, prefix);
        OPENED.add(hub);
        try {
            assertThat(hub.awaitAvailable(Duration.ofSeconds(10))).as("connected to " + uri()).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return hub;
    }

    @AfterEach
    void closeHubs() {
        OPENED.forEach(RedisHub::close);
        OPENED.clear();
    }
}
