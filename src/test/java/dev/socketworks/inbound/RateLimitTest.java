package dev.socketworks.inbound;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static dev.socketworks.inbound.RateLimit.Verdict.ALLOWED;
import static dev.socketworks.inbound.RateLimit.Verdict.EXCEEDED;
import static dev.socketworks.inbound.RateLimit.Verdict.REFUSED;
import static org.assertj.core.api.Assertions.assertThat;

class RateLimitTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private RateLimit limit(long perSecond, long burst, long bytesPerSecond, long maxMessage) {
        return new RateLimit(perSecond, burst, bytesPerSecond, maxMessage, now::get);
    }

    @Test
    void aBurstPassesAndTheMessageAfterItIsRefused() {
        RateLimit rate = limit(10, 20, 1_000_000, 1000);
        for (int i = 0; i < 20; i++) {
            assertThat(rate.take(10)).as("message %d", i).isEqualTo(ALLOWED);
        }
        assertThat(rate.take(10)).isEqualTo(REFUSED);
    }

    @Test
    void theBucketRefillsAtTheRate() {
        RateLimit rate = limit(10, 20, 1_000_000, 1000);
        for (int i = 0; i < 20; i++) {
            rate.take(1);
        }
        now.addAndGet(99_000_000); // 0.099 s: not yet one message's worth
        assertThat(rate.take(1)).isEqualTo(REFUSED);
        now.addAndGet(2_000_000);
        assertThat(rate.take(1)).isEqualTo(ALLOWED);
        assertThat(rate.take(1)).isEqualTo(REFUSED);
    }

    @Test
    void bytesAreLimitedTooAndOneLargestMessageAlwaysFits() {
        // 100 bytes/s over a 2 s burst would be 200 bytes; a 1000-byte message must still pass once.
        RateLimit rate = limit(10, 20, 100, 1000);
        assertThat(rate.take(1000)).isEqualTo(ALLOWED);
        assertThat(rate.take(1)).isEqualTo(REFUSED);
        now.addAndGet(1_000_000_000L);
        assertThat(rate.take(100)).isEqualTo(ALLOWED);
        assertThat(rate.take(1)).isEqualTo(REFUSED);
    }

    @Test
    void aClientThatStaysOverTheLimitIsToBeClosed() {
        RateLimit rate = limit(10, 5, 1_000_000, 1000);
        for (int i = 0; i < 5; i++) {
            rate.take(1);
        }
        for (int i = 0; i < 5; i++) {
            assertThat(rate.take(1)).as("refusal %d", i).isEqualTo(REFUSED);
        }
        assertThat(rate.take(1)).isEqualTo(EXCEEDED);
    }

    @Test
    void refusalsAreForgivenOverTime() {
        RateLimit rate = limit(10, 5, 1_000_000, 1000);
        for (int i = 0; i < 10; i++) {
            rate.take(1); // 5 allowed, 5 refusals
        }
        now.addAndGet(10_000_000_000L); // 10 s: refusals forgiven at 1/s, tokens back
        for (int i = 0; i < 5; i++) {
            assertThat(rate.take(1)).isEqualTo(ALLOWED);
        }
        for (int i = 0; i < 5; i++) {
            assertThat(rate.take(1)).isEqualTo(REFUSED);
        }
    }
}
