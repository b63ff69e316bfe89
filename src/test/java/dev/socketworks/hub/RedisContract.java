package dev.socketworks.hub;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Tests on a Redis the test run started: each hub connected before use and closed after each test. */
abstract class RedisContract extends EngineContract {

    /** The engine URI of the Redis (or Redis Cluster) under test. */
    protected abstract String uri();

    @Override
    public RedisHub connect(String node, String prefix) {
        return connect(uri(), node, prefix);
    }

    /** A hub on {@code uri}, connected (within 10 s); several sharing a prefix are servers sharing topics. */
    static RedisHub connect(String uri, String node, String prefix) {
        RedisHub hub = new RedisHub(uri, node, prefix);
        try {
            assertThat(hub.awaitAvailable(Duration.ofSeconds(10))).as("connected to " + uri).isTrue();
        } catch (InterruptedException e) {
            hub.close();
            throw new IllegalStateException(e);
        }
        return hub;
    }

    @Override
    protected RedisHub open(String node, String prefix) {
        return (RedisHub) super.open(node, prefix);
    }
}
