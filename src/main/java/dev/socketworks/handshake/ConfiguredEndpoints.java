package dev.socketworks.handshake;

/**
 * Endpoints added at deploy time from configuration (the routes under /run/), kept as a servlet
 * context attribute so the plain-HTTP answers on their paths know which exist and whom they allow.
 */
public interface ConfiguredEndpoints {

    String ATTRIBUTE = ConfiguredEndpoints.class.getName();

    /** @param path the path within the application, e.g. "/run/fizzbuzz" */
    boolean exists(String path);

    /** The endpoint's own allowed origins, or null where the global setting applies. */
    OriginPolicy allowedOrigins(String path);
}
