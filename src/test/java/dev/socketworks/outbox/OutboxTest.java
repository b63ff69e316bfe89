package dev.socketworks.outbox;

import dev.socketworks.testing.FakeSession;
import dev.socketworks.testing.LogCapture;
import jakarta.websocket.CloseReason;
import dev.socketworks.testing.Concurrently;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

class OutboxTest {

    @Test
    void textSizeIsItsUtf8LengthWhetherOrNotTheSameStringWasJustMeasured() {
        String euro = "\u20ac";
        assertThat(Outbox.utf8Size(euro)).isEqualTo(3);
        assertThat(Outbox.utf8Size(euro)).isEqualTo(3);
        assertThat(Outbox.utf8Size(new String("\u20ac\u20ac"))).isEqualTo(6);
        assertThat(Outbox.utf8Size("a\uD83D\uDE00")).isEqualTo(5);
        assertThat(Outbox.utf8Size("")).isZero();
    }

    private final FakeSession fake = new FakeSession();

    @Test
    void sendsOneAtATimeInOrder() {
        Outbox outbox = new Outbox(fake.session, 10, 1000);
        outbox.sendText("a");
        outbox.sendText("b");
        outbox.sendBinary(ByteBuffer.wrap(new byte[]{1}));
        assertThat(fake.sent).containsExactly("a");
        fake.completeOne();
        fake.completeOne();
        fake.completeOne();
        assertThat(fake.sent).hasSize(3).startsWith("a", "b");
        assertThat(fake.concurrentSendSeen).isFalse();
        assertThat(fake.inFlight).isEmpty();
    }

    /** A flooder's close: its "rate-limited" error, queued behind its own echoes, still reaches it first. */
    @Test
    void closeAfterQueuedSendsWhatIsQueuedThenClosesTakingNothingMore() {
        Outbox outbox = new Outbox(fake.session, 10, 1000);
        outbox.sendText("echo 1");
        outbox.sendText("echo 2");
        outbox.sendText("error: rate-limited");
        outbox.closeAfterQueued(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "rate limit"));
        assertThat(outbox.isClosed()).as("producers see it closed at once").isTrue();
        outbox.sendText("after the close");
        assertThat(fake.closedWith).isNull();
        fake.completeOne();
        fake.completeOne();
        fake.completeOne();
        assertThat(fake.sent).containsExactly("echo 1", "echo 2", "error: rate-limited");
        assertThat(fake.closedWith.getReasonPhrase()).isEqualTo("rate limit");
    }

    /**
     * The close after a drained queue comes from a send's completion, which may run on a thread that is
     * fanning a message out to a whole room: it is handed to the closer, so that thread goes on to the
     * next recipient instead of waiting for the close frame and the leaver's @OnClose.
     */
    @Test
    void aCloseAfterTheQueueDrainsRunsOnTheCloserNotOnTheCompletingThread() {
        java.util.List<Runnable> closes = new java.util.ArrayList<>();
        Outbox outbox = new Outbox(fake.session, 10, 1000, closes::add);
        outbox.sendText("last words");
        outbox.closeAfterQueued(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "rate limit"));
        fake.completeOne();
        assertThat(fake.closedWith).as("not on the thread that completed the send").isNull();
        assertThat(closes).hasSize(1);
        closes.get(0).run();
        assertThat(fake.closedWith.getReasonPhrase()).isEqualTo("rate limit");
    }

    @Test
    void queueMayHoldExactlyTheMessageLimit() {
        Outbox outbox = new Outbox(fake.session, 3, 1000);
        outbox.sendText("in flight");
        for (int i = 0; i < 3; i++) {
            outbox.sendText("q" + i);
        }
        assertThat(outbox.queued()).isEqualTo(3);
        assertThat(fake.closedWith).isNull();

        outbox.sendText("one too many");

        assertThat(fake.closedWith.getCloseCode()).isEqualTo(CloseReason.CloseCodes.VIOLATED_POLICY);
        assertThat(fake.closedWith.getReasonPhrase()).isEqualTo("slow consumer");
        assertThat(outbox.queued()).isZero();
    }

    /**
     * Clients that stop reading, each under its own byte limit, together reach outboxTotalBytes: the
     * next one to grow past the floor is cut, a client that keeps up (under the floor) still gets its
     * messages, and a cut client's queue gives its bytes back.
     */
    @Test
    void pastTheSharedBudgetAClientBehindIsCutAndOneKeepingUpIsNot() {
        OutboxBudget budget = new OutboxBudget(100_000);
        String kib = "x".repeat(1024);
        FakeSession stalledOne = new FakeSession();
        FakeSession stalledTwo = new FakeSession();
        FakeSession keepingUp = new FakeSession();
        Outbox one = new Outbox(stalledOne.session, 10_000, 1 << 20, Runnable::run, budget);
        Outbox two = new Outbox(stalledTwo.session, 10_000, 1 << 20, Runnable::run, budget);
        Outbox reader = new Outbox(keepingUp.session, 10_000, 1 << 20, Runnable::run, budget);
        one.sendText("in flight");
        for (int i = 0; i < 90; i++) {
            one.sendText(kib); // 92,160 bytes queued: within the budget
        }
        two.sendText("in flight");
        for (int i = 0; i < 7; i++) {
            two.sendText(kib); // 7 KiB more: under the floor, whatever the budget
        }
        assertThat(budget.used()).isEqualTo(97 * 1024);
        assertThat(stalledOne.closedWith).isNull();
        assertThat(stalledTwo.closedWith).isNull();

        for (int i = 0; i < 12; i++) {
            two.sendText(kib); // past the floor once the budget is spent
        }
        assertThat(stalledTwo.closedWith.getReasonPhrase()).isEqualTo("slow consumer");
        assertThat(budget.used()).as("the cut client's queue was given back").isEqualTo(90 * 1024);

        reader.sendText("in flight");
        for (int i = 0; i < 100; i++) {
            reader.sendText(kib); // a client that keeps up: never more than one queued
            keepingUp.completeOne();
        }
        assertThat(keepingUp.closedWith).isNull();
        assertThat(keepingUp.sent).hasSize(101);
        one.sessionEnded();
        assertThat(budget.used()).isEqualTo(0);
    }

    @Test
    void queueMayHoldExactlyTheByteLimit() {
        Outbox outbox = new Outbox(fake.session, 100, 10);
        outbox.sendText("in flight, not counted");
        outbox.sendText("12345");
        outbox.sendText("\u20ac12"); // 3 + 2 bytes: 10 in all
        assertThat(fake.closedWith).isNull();

        outbox.sendText("x");

        assertThat(fake.closedWith.getReasonPhrase()).isEqualTo("slow consumer");
    }

    @Test
    void nothingIsSentAfterTheSlowConsumerClose() {
        Outbox outbox = new Outbox(fake.session, 1, 100);
        outbox.sendText("a");
        outbox.sendText("b");
        outbox.sendText("c");
        fake.completeOne();
        outbox.sendText("d");
        assertThat(fake.sent).containsExactly("a");
    }

    @Test
    void closeWaitsForTheMessageInFlight() {
        Outbox outbox = new Outbox(fake.session, 10, 100);
        outbox.sendText("a");
        outbox.sendText("dropped");
        outbox.close(CloseReasons.of(CloseReason.CloseCodes.TOO_BIG, "too big"));
        assertThat(fake.closedWith).isNull();

        fake.completeOne();

        assertThat(fake.closedWith.getCloseCode()).isEqualTo(CloseReason.CloseCodes.TOO_BIG);
        assertThat(fake.sent).containsExactly("a");
    }

    /** Regression: completions delivered inside the send call once recursed a frame per queued message. */
    @Test
    void inlineCompletionsDrainALongQueueWithoutRecursion() {
        int queued = 200_000;
        Outbox outbox = new Outbox(fake.session, queued, Long.MAX_VALUE);
        outbox.sendText("in flight");
        for (int i = 0; i < queued; i++) {
            outbox.sendText("q" + i);
        }
        fake.completion = FakeSession.Completion.INSTANT;

        fake.completeOne();

        assertThat(fake.sent).hasSize(queued + 1).endsWith("q" + (queued - 1));
        assertThat(outbox.queued()).isZero();
        assertThat(fake.concurrentSendSeen).isFalse();
    }

    @Test
    void sendsCompletedInlineStillGoOneAtATimeInOrder() {
        fake.completion = FakeSession.Completion.INSTANT;
        Outbox outbox = new Outbox(fake.session, 10, 1000);
        outbox.sendText("a");
        outbox.sendText("b");
        assertThat(fake.sent).containsExactly("a", "b");
        assertThat(outbox.queued()).isZero();
    }

    @Test
    void aFailedSendStopsTheOutboxAndEndsTheSession() {
        Outbox outbox = new Outbox(fake.session, 10, 100);
        outbox.sendText("a");
        outbox.sendText("b");
        fake.failOne();
        outbox.sendText("c");
        assertThat(fake.sent).containsExactly("a");
        assertThat(fake.closedWith.getCloseCode()).isEqualTo(CloseReason.CloseCodes.GOING_AWAY);
        assertThat(fake.closedWith.getReasonPhrase()).isEqualTo("connection lost");
    }

    @Test
    void aSendRefusedBecauseTheSessionClosedIsNoWarning() {
        try (LogCapture log = LogCapture.of(Outbox.class)) {
            Outbox outbox = new Outbox(fake.session, 10, 100);
            outbox.sendText("a");
            // Tomcat's words when the peer's close won the race; its isOpen() is still true then.
            fake.failOne(new IllegalStateException("Message will not be sent because the WebSocket session has been closed"));
            assertThat(fake.closedWith.getReasonPhrase()).isEqualTo("connection lost");
            assertThat(log.messages(java.util.logging.Level.WARNING)).isEmpty();

            FakeSession other = new FakeSession();
            new Outbox(other.session, 10, 100).sendText("a");
            other.failOne(new UnsupportedOperationException("a bug"));
            assertThat(log.messages(java.util.logging.Level.WARNING)).as("any other failure is worth a warning").hasSize(1);
        }
    }

    @Test
    void aCloseWaitingForTheFailedSendKeepsItsReason() {
        Outbox outbox = new Outbox(fake.session, 10, 100);
        outbox.sendText("a");
        CloseReason shutdown = new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "server shutting down");
        outbox.close(shutdown);
        fake.failOne();
        assertThat(fake.closedWith).isSameAs(shutdown);
    }

    @Test
    void manyThreadsNeverHaveTwoSendsInFlight() throws Exception {
        Outbox outbox = new Outbox(fake.session, 100_000, 100_000_000);
        int threads = 8;
        int perThread = 500;
        Concurrently.run(threads, id -> {
            for (int i = 0; i < perThread; i++) {
                outbox.sendText(id + ":" + i);
            }
        });
        while (!fake.inFlight.isEmpty()) {
            fake.completeOne();
        }
        assertThat(fake.sent).hasSize(threads * perThread);
        assertThat(fake.concurrentSendSeen).isFalse();
    }

    private static String text(Object sent) {
        return sent instanceof ByteBuffer b ? "ping " + java.nio.charset.StandardCharsets.US_ASCII.decode(b.duplicate()) : (String) sent;
    }

    /**
     * Sends completing inline, as Tyrus reports them whether or not the client reads: only pongs
     * to the confirming pings tell the outbox what the client has read.
     */
    @Test
    void dataWaitsOnceAByteLimitIsUnconfirmedAndAStalledClientIsCutAtTheQueueLimit() {
        fake.completion = FakeSession.Completion.INSTANT;
        Outbox outbox = new Outbox(fake.session, 100, 100); // confirm every 25 bytes; 100 unconfirmed at most
        for (int i = 0; i < 10; i++) {
            outbox.sendText("m" + i + "x".repeat(18)); // 20 bytes each
        }
        assertThat(fake.sent.stream().map(OutboxTest::text).filter(t -> t.startsWith("m")).count())
                .as("five messages (100 bytes) handed over, five waiting").isEqualTo(5);
        assertThat(fake.sent.stream().map(OutboxTest::text).filter(t -> t.startsWith("ping")))
                .hasSize(2).satisfies(pings -> {
                    assertThat(pings.get(0)).matches("ping sw-ack:40:-?\\d+");
                    assertThat(pings.get(1)).matches("ping sw-ack:80:-?\\d+");
                });
        assertThat(outbox.queued()).isEqualTo(5);
        assertThat(fake.closedWith).as("the queue holds exactly its byte limit").isNull();

        outbox.sendText("x".repeat(20));

        assertThat(fake.closedWith.getReasonPhrase()).isEqualTo("slow consumer");
    }

    @Test
    void aPongMakesRoomAndTheWaitingDataGoesInOrder() {
        fake.completion = FakeSession.Completion.INSTANT;
        Outbox outbox = new Outbox(fake.session, 100, 100);
        for (int i = 0; i < 8; i++) {
            outbox.sendText("m" + i + "x".repeat(18));
        }
        assertThat(outbox.queued()).isEqualTo(3);

        ByteBuffer secondMark = fake.sent.stream().filter(ByteBuffer.class::isInstance).map(ByteBuffer.class::cast)
                .reduce((first, second) -> second).orElseThrow();
        outbox.pong(secondMark.duplicate()); // confirms the first mark's bytes too

        assertThat(outbox.queued()).isZero();
        assertThat(fake.sent.stream().map(OutboxTest::text).filter(t -> t.startsWith("m")).map(t -> t.substring(0, 2)))
                .containsExactly("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7");
        assertThat(fake.closedWith).isNull();
    }

    @Test
    void aClientAnsweringTheConfirmingPingsIsNeverHeldBack() {
        fake.completion = FakeSession.Completion.INSTANT;
        Outbox outbox = new Outbox(fake.session, 100, 100);
        int answered = 0;
        for (int i = 0; i < 200; i++) {
            outbox.sendText("x".repeat(20));
            for (Object sent : fake.sent.subList(answered, fake.sent.size())) {
                if (sent instanceof ByteBuffer ping) {
                    outbox.pong(ping.duplicate()); // what any client does: echo the ping's data
                }
            }
            answered = fake.sent.size();
            assertThat(outbox.queued()).isZero();
        }
        assertThat(fake.closedWith).isNull();
    }

    @Test
    void theSessionsPongsReachTheOutboxThroughTheHandlerItInstallsAndItsListeners() {
        fake.completion = FakeSession.Completion.INSTANT;
        Outbox outbox = Outbox.attach(fake.session, 100, 100, Runnable::run, OutboxBudget.UNLIMITED);
        int[] heard = new int[1];
        outbox.onPong(() -> heard[0]++);
        for (int i = 0; i < 5; i++) {
            outbox.sendText("x".repeat(20));
        }
        outbox.sendText("waits");
        assertThat(outbox.queued()).as("a whole window unconfirmed: data waits").isEqualTo(1);
        fake.pong(ByteBuffer.wrap("1763718000".getBytes())); // a heartbeat pong: heard, confirms nothing
        assertThat(outbox.queued()).isEqualTo(1);
        java.util.List<ByteBuffer> pings = fake.sent.stream().filter(ByteBuffer.class::isInstance)
                .map(ByteBuffer.class::cast).toList();
        pings.forEach(ping -> fake.pong(ping.duplicate()));
        assertThat(outbox.queued()).isZero();
        assertThat(fake.texts()).endsWith("waits");
        assertThat(heard[0]).isEqualTo(1 + pings.size());
    }

    @Test
    void closeNowDoesNotWaitForAWriteThatNeverCompletes() {
        Outbox outbox = new Outbox(fake.session, 10, 100);
        outbox.sendText("stuck in flight");
        outbox.sendText("queued");
        CloseReason noReply = new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "no reply to ping");

        outbox.closeNow(noReply);

        assertThat(fake.closedWith).isSameAs(noReply);
        assertThat(outbox.queued()).isZero();
    }

    @Test
    void aWaitingProducerIsHeldBackUntilThereIsRoomThenKeepsItsOrder() throws Exception {
        Outbox outbox = new Outbox(fake.session, 2, 1000);
        outbox.sendText("a"); // in flight
        outbox.sendText("b");
        outbox.sendText("c"); // the queue is now at its limit of 2
        Thread producer = new Thread(() -> {
            try {
                outbox.sendTextWhenRoom("d");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        producer.start();
        awaitState(producer, Thread.State.WAITING);
        assertThat(outbox.queued()).isEqualTo(2);
        assertThat(fake.closedWith).as("held back, not cut as a slow consumer").isNull();

        fake.completeOne(); // "a" done, "b" goes: room for "d"
        producer.join(5_000);

        assertThat(producer.isAlive()).isFalse();
        fake.completeOne();
        fake.completeOne();
        fake.completeOne();
        assertThat(fake.sent).containsExactly("a", "b", "c", "d");
    }

    @Test
    void aWaitingProducerGivesUpWhenTheOutboxCloses() throws Exception {
        Outbox outbox = new Outbox(fake.session, 1, 1000);
        outbox.sendText("in flight");
        outbox.sendText("queued");
        java.util.concurrent.CompletableFuture<Boolean> result = waitingProducer(outbox);

        outbox.closeNow(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "client left"));

        assertThat(result.get(5, java.util.concurrent.TimeUnit.SECONDS)).isFalse();
        assertThat(fake.sent).containsExactly("in flight");
    }

    @Test
    void aWaitingProducerIsReleasedWhenTheClientLeavesByItself() throws Exception {
        // The client closed normally: no close of ours, no send completes, no pong comes. Before
        // sessionEnded() existed, a /run output pump waited here forever, keeping its class loader.
        Outbox outbox = new Outbox(fake.session, 1, 1000);
        outbox.sendText("in flight");
        outbox.sendText("queued");
        java.util.concurrent.CompletableFuture<Boolean> result = waitingProducer(outbox);

        outbox.sessionEnded();

        assertThat(result.get(5, java.util.concurrent.TimeUnit.SECONDS)).isFalse();
        assertThat(outbox.isClosed()).isTrue();
        assertThat(outbox.queued()).isZero();
        assertThat(fake.closedWith).isNull();
    }

    @Test
    void closeWhenSentDeliversEverythingQueuedFirst() {
        Outbox outbox = new Outbox(fake.session, 10, 1000);
        outbox.sendText("last words 1");
        outbox.sendText("last words 2");
        CloseReason done = new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "");

        outbox.closeWhenSent(done);
        outbox.sendText("after the close was asked for: still queued, still sent");

        assertThat(fake.closedWith).isNull();
        fake.completeOne();
        fake.completeOne();
        assertThat(fake.closedWith).isNull();
        fake.completeOne();
        assertThat(fake.closedWith).isSameAs(done);
        assertThat(fake.sent).hasSize(3);
    }

    @Test
    void closeWhenSentClosesAtOnceWhenNothingIsWaiting() {
        Outbox outbox = new Outbox(fake.session, 10, 1000);
        CloseReason done = new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "");
        outbox.closeWhenSent(done);
        assertThat(fake.closedWith).isSameAs(done);
        assertThat(outbox.isClosed()).isTrue();
    }

    /** A producer blocked in sendTextWhenRoom on a full outbox; completes with what that call returns. */
    private static java.util.concurrent.CompletableFuture<Boolean> waitingProducer(Outbox outbox)
            throws InterruptedException {
        java.util.concurrent.CompletableFuture<Boolean> result = new java.util.concurrent.CompletableFuture<>();
        Thread producer = new Thread(() -> {
            try {
                result.complete(outbox.sendTextWhenRoom("never sent"));
            } catch (InterruptedException e) {
                result.completeExceptionally(e);
            }
        });
        producer.start();
        awaitState(producer, Thread.State.WAITING);
        return result;
    }

    private static void awaitState(Thread thread, Thread.State state) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (thread.getState() != state) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(thread.getName() + " is " + thread.getState() + ", not " + state);
            }
            Thread.onSpinWait(); // a thread's state has no latch to wait on: a poll with a deadline
        }
    }
}
