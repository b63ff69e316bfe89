package dev.socketworks.runtime;

import dev.socketworks.inbound.FairBudget;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@link FairBudget} of every address with a connection open, made with its first. It is kept
 * {@link #KEPT_NANOS} after its last connection closes: a client that opens one connection at a time
 * (a new one per chat room) must meet the budget, and the flood it is in, that its last one left.
 */
public final class AddressBudgets {

    static final long KEPT_NANOS = 5_000_000_000L;
    /** Bounds what addresses with many names can make the list of recently emptied budgets hold. */
    static final int MAX_EMPTY = 10_000;

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
    // Guarded by this. Open addresses, and those emptied in the last KEPT_NANOS (oldest first in emptied).
    private final Map<String, FairBudget> budgets = new HashMap<>();
    private final LinkedHashMap<String, Long> emptied = new LinkedHashMap<>();

    public AddressBudgets(long messagesPerSecond, long bytesPerSecond) {
        this.messagesPerSecond = messagesPerSecond;
        this.bytesPerSecond = bytesPerSecond;
    }

    public synchronized Membership join(String address) {
        forgetOldEmpties(System.nanoTime());
        emptied.remove(address);
        FairBudget budget = budgets.computeIfAbsent(address,
                a -> new FairBudget(messagesPerSecond, bytesPerSecond, System::nanoTime));
        return new Membership(budget, budget.join());
    }

    public synchronized void leave(String address, Membership membership) {
        if (membership.budget().leave(membership.share()) && budgets.get(address) == membership.budget()) {
            long now = System.nanoTime();
            emptied.put(address, now);
            forgetOldEmpties(now);
        }
    }

    private void forgetOldEmpties(long now) {
        for (Iterator<Map.Entry<String, Long>> it = emptied.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Long> empty = it.next();
            if (now - empty.getValue() < KEPT_NANOS && emptied.size() <= MAX_EMPTY) {
                return;
            }
            it.remove();
            budgets.remove(empty.getKey());
        }
    }

    /** Budgets held: open addresses and recently emptied ones. */
    synchronized int size() {
        return budgets.size();
    }
}
