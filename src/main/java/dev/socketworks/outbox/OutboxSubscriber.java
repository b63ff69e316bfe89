package dev.socketworks.outbox;

import dev.socketworks.hub.Message;
import dev.socketworks.hub.Subscriber;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Where the hub meets a client: each publication, rendered into the service's wire format, is
 * queued on the client's outbox; binary publications go as they are. Rendering runs while the hub
 * delivers (under a topic lock in memory), so it must be quick and must not call the container.
 */
public final class OutboxSubscriber implements Subscriber {

    private final Outbox outbox;
    private final Function<Message, List<String>> render;

    /** @param render the texts this client gets for one publication (none, one, or several, in order) */
    public OutboxSubscriber(Outbox outbox, Function<Message, List<String>> render) {
        this.outbox = outbox;
        this.render = render;
    }

    /** Text publications delivered unchanged. */
    public static OutboxSubscriber verbatim(Outbox outbox) {
        return new OutboxSubscriber(outbox, message -> List.of(message.text()));
    }

    @Override
    public void deliver(Message message) {
        if (message.isBinary()) {
            outbox.enqueuePublished(message.data(), message.publishedAt());
        } else {
            for (String text : render.apply(message)) {
                outbox.enqueuePublished(text, message.publishedAt());
            }
        }
    }

    @Override
    public void flush() {
        outbox.flush();
    }

    /**
     * {@code render}, computed once per publication however many subscribers share it: a topic's
     * subscribers receive each publication one after the other, so remembering the last one is
     * enough (and the same String instance lets each outbox reuse its measured size).
     */
    public static Function<Message, List<String>> oncePerMessage(Function<Message, List<String>> render) {
        AtomicReference<Rendered> last = new AtomicReference<>();
        return message -> {
            Rendered previous = last.get();
            if (previous != null && previous.message() == message) {
                return previous.texts();
            }
            List<String> texts = render.apply(message);
            last.set(new Rendered(message, texts));
            return texts;
        };
    }

    private record Rendered(Message message, List<String> texts) {
    }
}
