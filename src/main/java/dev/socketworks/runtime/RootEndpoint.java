package dev.socketworks.runtime;

import dev.socketworks.handshake.HandshakePolicy;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The root path {@code /}, shared by several services: the subprotocol negotiated at the handshake
 * (the first the client offers that some service lists) picks the service, whose endpoint then
 * handles the session. One path can only have one endpoint class, hence this programmatic one
 * instead of an annotated endpoint per service.
 */
public final class RootEndpoint extends Endpoint {

    /** The services by subprotocol ("" for a client that offers none). */
    private final Map<String, RootService> bySubprotocol;
    private Endpoint delegate;

    private RootEndpoint(Map<String, RootService> bySubprotocol) {
        this.bySubprotocol = bySubprotocol;
    }

    /**
     * The endpoint configuration for {@code /}, or null when no service is offered there. A
     * subprotocol two services list goes to the first, with a warning in the log.
     */
    static ServerEndpointConfig config(List<RootService> services, java.util.logging.Logger log) {
        Map<String, RootService> bySubprotocol = new LinkedHashMap<>();
        for (RootService service : services) {
            List<String> keys = new ArrayList<>(service.subprotocols());
            if (service.byDefault()) {
                keys.add("");
            }
            for (String key : keys) {
                RootService first = bySubprotocol.putIfAbsent(key, service);
                if (first != null && first != service) {
                    log.warning(() -> "At /, " + (key.isEmpty() ? "clients offering no subprotocol" : "subprotocol " + key)
                            + " go to " + first.name() + ", not " + service.name());
                }
            }
        }
        if (bySubprotocol.isEmpty()) {
            return null;
        }
        List<String> subprotocols = bySubprotocol.keySet().stream().filter(k -> !k.isEmpty()).toList();
        return ServerEndpointConfig.Builder.create(RootEndpoint.class, "/")
                .subprotocols(subprotocols)
                .configurator(new HandshakePolicy() {
                    @Override
                    public <T> T getEndpointInstance(Class<T> endpointClass) {
                        return endpointClass.cast(new RootEndpoint(bySubprotocol));
                    }
                })
                .build();
    }

    /** Which services answer at {@code /}, for the start-up log. */
    static String describe(List<RootService> services) {
        return services.stream().map(s -> s.name() + " " + (s.byDefault() ? "(default) " : "") + s.subprotocols()).toList().toString();
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        String negotiated = session.getNegotiatedSubprotocol();
        RootService service = bySubprotocol.get(negotiated == null ? "" : negotiated);
        if (service == null) {
            // Only a client offering subprotocols none of which is served, where no service is the default.
            try {
                session.close(new CloseReason(CloseReason.CloseCodes.PROTOCOL_ERROR, "no service at / for the subprotocols offered"));
            } catch (java.io.IOException e) {
                // gone already
            }
            return;
        }
        delegate = service.endpoint().get();
        delegate.onOpen(session, config);
    }

    @Override
    public void onClose(Session session, CloseReason closeReason) {
        if (delegate != null) {
            delegate.onClose(session, closeReason);
        }
    }

    @Override
    public void onError(Session session, Throwable error) {
        if (delegate != null) {
            delegate.onError(session, error);
        }
    }
}
