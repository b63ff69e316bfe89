package dev.socketworks.runtime;

import dev.socketworks.inbound.FairBudget;

import java.util.HashMap;
import java.util.Map;

/** The {@link FairBudget} of every address with a connection open: made with its first, dropped with its last. */
public final class AddressBudgets {

    /** A connection's place in its address's budget. */
    public record Membership(FairBudget budget, FairBudget.Share share) {
        public boolean take(long bytes) {
            return budget.take(share, bytes);
        }

        /** Whether the address has asked for twice its budget for seconds running. */
        public boolean flooded() {
            return budget.flooded();
        }
    }

    private final long messagesPerSecond;
    private final long bytesPerSecond;
    // Guarded by this; holds only addresses with an open connection, so it is bounded by maxConnections.
    private final Map<String, FairBudget> budgets = new HashMap<>();

    public AddressBudgets(long messagesPerSecond, long bytesPerSecond) {
        this.messagesPerSecond = messagesPerSecond;
        this.bytesPerSecond = bytesPerSecond;
    }

    public synchronized Membership join(String address) {
        FairBudget budget = budgets.computeIfAbsent(address,
                a -> new FairBudget(messagesPerSecond, bytesPerSecond, System::nanoTime));
        return new Membership(budget, budget.join());
    }

    public synchronized void leave(String address, Membership membership) {
        if (membership.budget().leave(membership.share()) && budgets.get(address) == membership.budget()) {
            budgets.remove(address);
        }
    }
}
