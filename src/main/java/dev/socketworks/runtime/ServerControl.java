package dev.socketworks.runtime;

import dev.socketworks.hub.EngineUnavailableException;
import dev.socketworks.hub.Hub;
import dev.socketworks.hub.Message;
import dev.socketworks.hub.Retention;
import dev.socketworks.hub.Subscriber;
import dev.socketworks.json.JsonMessages;
import dev.socketworks.logging.LogLimiter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Questions put to every server sharing the hub, answered once: what the API does on all servers
 * (list or close connections, disconnect a user, list rooms, describe the servers). A question is
 * published on the hub's control topic; each server answers on the asker's reply topic; the asker
 * waits for every server alive when it asked ({@link Hub#servers()}), at most {@code engineTimeoutMs},
 * and names those that did not answer. In one server's memory the only server answers itself, by the
 * same path.
 *
 * <p>Handlers run on the engine's work threads, never on the hub's delivery thread: they may close
 * sessions and call the engine.
 */
public final class ServerControl {

    private static final Logger LOG = Logger.getLogger(ServerControl.class.getName());

    static final String QUESTIONS = "control/questions";
    static final String REPLIES = "control/replies/";
    /** Questions waiting at once on this server: each holds a request thread until answered or timed out. */
    static final int MAX_WAITING = 64;
    /** How often a server that could not follow the control topic (the engine was away) tries again. */
    static final Duration RETRY = Duration.ofSeconds(2);

    /** A question: {@code kind} names the handler; {@code args} its arguments. */
    public record Question(String id, String kind, Map<String, String> args, String replyTo) {
    }

    /** One server's answer: its name and the handler's result as JSON text. */
    public record Answer(String id, String server, String body) {
    }

    /** Every answer that came, and the servers alive at the question that gave none in time. */
    public record Answers(List<Answer> answers, List<String> missing) {
        public <T> List<T> bodies(Class<T> type) {
            return answers.stream().map(a -> JsonMessages.fromJson(a.body(), type)).toList();
        }
    }

    /** Thrown when {@link #MAX_WAITING} questions already wait on this server. */
    public static final class BusyException extends RuntimeException {
        BusyException() {
            super("too many questions to the servers at once", null, false, false);
        }
    }

    private record Waiting(Set<String> expected, List<Answer> answers) {
    }

    private final Hub hub;
    private final Executor work;
    private final ScheduledExecutorService timer;
    private final Duration timeout;
    private final String replyTopic = REPLIES + UUID.randomUUID();
    private final Map<String, Function<Map<String, String>, Object>> handlers = new ConcurrentHashMap<>();
    private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();
    private final java.util.concurrent.Semaphore places = new java.util.concurrent.Semaphore(MAX_WAITING);
    private final List<Hub.Subscription> following = new ArrayList<>(); // guarded by this
    private boolean closed; // guarded by this

    ServerControl(Hub hub, Executor work, ScheduledExecutorService timer, Duration timeout) {
        this.hub = hub;
        this.work = work;
        this.timer = timer;
        this.timeout = timeout;
    }

    /** What this server answers to questions of {@code kind}: a record, sent as JSON. */
    public void answer(String kind, Function<Map<String, String>, Object> handler) {
        handlers.put(kind, handler);
    }

    /** Follows the control topics now, or keeps trying every {@link #RETRY} while the engine is away. */
    void start() {
        try {
            Hub.Subscription questions = hub.subscribe(QUESTIONS, subscriber(this::heard));
            Hub.Subscription replies;
            try {
                replies = hub.subscribe(replyTopic, subscriber(this::answered));
            } catch (RuntimeException e) {
                questions.close();
                throw e;
            }
            synchronized (this) {
                if (closed) {
                    questions.close();
                    replies.close();
                    return;
                }
                following.add(questions);
                following.add(replies);
            }
        } catch (EngineUnavailableException e) {
            synchronized (this) {
                if (!closed) {
                    timer.schedule(() -> work.execute(this::start), RETRY.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        }
    }

    void close() {
        List<Hub.Subscription> ending;
        synchronized (this) {
            closed = true;
            ending = new ArrayList<>(following);
            following.clear();
        }
        ending.forEach(Hub.Subscription::close);
    }

    /**
     * Asks every live server and waits for their answers (this server's included).
     *
     * @throws EngineUnavailableException when the engine cannot be reached
     * @throws BusyException              when {@link #MAX_WAITING} questions wait already
     */
    public Answers ask(String kind, Map<String, String> args) throws InterruptedException {
        if (!places.tryAcquire()) {
            throw new BusyException();
        }
        String id = UUID.randomUUID().toString();
        try {
            Set<String> expected = new HashSet<>(hub.servers());
            Waiting wait = new Waiting(expected, new ArrayList<>());
            waiting.put(id, wait);
            hub.publish(QUESTIONS, JsonMessages.toJson(new Question(id, kind, Map.copyOf(args), replyTopic)), Retention.NONE);
            long deadline = System.nanoTime() + timeout.toNanos();
            synchronized (wait) {
                for (long left; !answeredByAll(wait) && (left = deadline - System.nanoTime()) > 0; ) {
                    TimeUnit.NANOSECONDS.timedWait(wait, left);
                }
                Set<String> missing = new HashSet<>(wait.expected());
                wait.answers().forEach(a -> missing.remove(a.server()));
                return new Answers(List.copyOf(wait.answers()), missing.stream().sorted().toList());
            }
        } finally {
            waiting.remove(id);
            places.release();
        }
    }

    /** Questions this server is waiting on now. */
    int waitingCount() {
        return MAX_WAITING - places.availablePermits();
    }

    private static boolean answeredByAll(Waiting wait) {
        Set<String> heard = new HashSet<>();
        wait.answers().forEach(a -> heard.add(a.server()));
        return heard.containsAll(wait.expected());
    }

    private void heard(Message message) {
        Question question;
        try {
            question = JsonMessages.fromJson(message.text(), Question.class);
        } catch (RuntimeException e) {
            LogLimiter.log(LOG, Level.WARNING, "control question", () -> "Ignored a control question this server cannot read", e);
            return;
        }
        Function<Map<String, String>, Object> handler = handlers.get(question.kind());
        if (handler == null || question.replyTo() == null || !question.replyTo().startsWith(REPLIES)) {
            return; // a newer server's question: its asker lists this one as missing
        }
        Object body;
        try {
            body = handler.apply(question.args() == null ? Map.of() : question.args());
        } catch (RuntimeException e) {
            LogLimiter.log(LOG, Level.WARNING, "control answer", () -> "Could not answer control question " + question.kind(), e);
            return;
        }
        try {
            hub.publish(question.replyTo(), JsonMessages.toJson(new Answer(question.id(), hub.node(), JsonMessages.toJson(body))),
                    Retention.NONE);
        } catch (EngineUnavailableException e) {
            LOG.log(Level.FINE, "could not answer: the engine is away", e);
        }
    }

    private void answered(Message message) {
        Answer answer;
        try {
            answer = JsonMessages.fromJson(message.text(), Answer.class);
        } catch (RuntimeException e) {
            return;
        }
        Waiting wait = waiting.get(answer.id());
        if (wait != null) {
            synchronized (wait) {
                wait.answers().add(answer);
                wait.notifyAll();
            }
        }
    }

    /** Hands each publication to the work threads: the hub's delivery thread must not wait on a handler. */
    private Subscriber subscriber(java.util.function.Consumer<Message> handle) {
        return new Subscriber() {
            @Override
            public void deliver(Message message) {
                if (message.isBinary() || message.text() == null) {
                    return;
                }
                try {
                    work.execute(() -> handle.accept(message));
                } catch (RejectedExecutionException e) {
                    LOG.log(Level.FINE, "stopping: control message dropped", e);
                }
            }

            @Override
            public void flush() {
            }
        };
    }
}
