package dev.socketworks.runtime;

import org.junit.jupiter.api.Test;

import static dev.socketworks.runtime.ConnectionLimits.Verdict.ADDRESS_FULL;
import static dev.socketworks.runtime.ConnectionLimits.Verdict.ADMITTED;
import static dev.socketworks.runtime.ConnectionLimits.Verdict.SERVER_FULL;
import static org.assertj.core.api.Assertions.assertThat;

class ConnectionLimitsTest {

    @Test
    void oneAddressGetsExactlyItsShare() {
        ConnectionLimits limits = new ConnectionLimits(100, 3);
        for (int i = 0; i < 3; i++) {
            assertThat(limits.check("a")).isEqualTo(ADMITTED);
            assertThat(limits.tryAdmit("a")).isEqualTo(ADMITTED);
        }
        assertThat(limits.check("a")).isEqualTo(ADDRESS_FULL);
        assertThat(limits.tryAdmit("a")).isEqualTo(ADDRESS_FULL);
        assertThat(limits.tryAdmit("b")).isEqualTo(ADMITTED);
        limits.release("a");
        assertThat(limits.tryAdmit("a")).isEqualTo(ADMITTED);
        assertThat(limits.open()).isEqualTo(4);
    }

    @Test
    void theServerCapCountsEveryAddress() {
        ConnectionLimits limits = new ConnectionLimits(2, 10);
        assertThat(limits.tryAdmit("a")).isEqualTo(ADMITTED);
        assertThat(limits.tryAdmit("b")).isEqualTo(ADMITTED);
        assertThat(limits.check("c")).isEqualTo(SERVER_FULL);
        assertThat(limits.tryAdmit("c")).isEqualTo(SERVER_FULL);
        limits.release("a");
        assertThat(limits.tryAdmit("c")).isEqualTo(ADMITTED);
    }

    @Test
    void addressesLeaveNoTraceOnceClosed() {
        ConnectionLimits limits = new ConnectionLimits(10, 10);
        limits.tryAdmit("a");
        limits.release("a");
        assertThat(limits.open("a")).isZero();
        assertThat(limits.open()).isZero();
    }
}
