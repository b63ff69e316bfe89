package dev.socketworks.handshake;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which browser origins may open a WebSocket. Parsed from a list separated by commas or spaces, whose
 * entries are:
 * <ul>
 *   <li>{@code same-origin}: the Origin equals the handshake request's own scheme, host and port;</li>
 *   <li>{@code https://app.example.com[:port]}: exactly that origin (the scheme's default port implied);</li>
 *   <li>{@code https://*.example.com[:port]}: any subdomain, at any depth, of example.com, not example.com itself;</li>
 *   <li>{@code *}: any well-formed origin (public services only).</li>
 * </ul>
 * The {@code null} origin (sandboxed frames, file: pages) and malformed origins are always refused.
 * Matching is exact on parsed parts: no substring, prefix or suffix comparison on raw text.
 */
public final class OriginPolicy {

    private static final Pattern WILDCARD = Pattern.compile("([a-z][a-z0-9+.-]*)://\\*\\.([a-z0-9.-]+)(?::([0-9]{1,5}))?");

    private sealed interface Rule permits SameOrigin, Exact, Subdomains, AnyOrigin {
        boolean allows(Origin origin, Origin requestOrigin);
    }

    private record SameOrigin() implements Rule {
        public boolean allows(Origin origin, Origin requestOrigin) {
            return origin.equals(requestOrigin);
        }
    }

    private record Exact(Origin allowed) implements Rule {
        public boolean allows(Origin origin, Origin requestOrigin) {
            return origin.equals(allowed);
        }
    }

    private record Subdomains(String scheme, String domain, int port) implements Rule {
        public boolean allows(Origin origin, Origin requestOrigin) {
            return origin.scheme().equals(scheme) && origin.port() == port
                    && origin.host().endsWith("." + domain);
        }
    }

    private record AnyOrigin() implements Rule {
        public boolean allows(Origin origin, Origin requestOrigin) {
            return true;
        }
    }

    /** The outcome of a check, with the reason worth one log line when refused. */
    public record Verdict(boolean allowed, String reason) {
        static Verdict allow() {
            return new Verdict(true, "allowed");
        }

        static Verdict refuse(String reason) {
            return new Verdict(false, reason);
        }
    }

    private final List<Rule> rules;
    private final String text;

    private OriginPolicy(List<Rule> rules, String text) {
        this.rules = List.copyOf(rules);
        this.text = text;
    }

    /** @throws IllegalArgumentException naming the first entry that is not one of the forms above */
    public static OriginPolicy parse(String text) {
        List<Rule> rules = new ArrayList<>();
        for (String entry : text.strip().split("[,\\s]+")) {
            if (!entry.isEmpty()) {
                rules.add(parseEntry(entry));
            }
        }
        if (rules.isEmpty()) {
            throw new IllegalArgumentException("no entries: use same-origin, an origin like https://app.example.com,"
                    + " a wildcard like https://*.example.com, or *");
        }
        return new OriginPolicy(rules, String.join(",", text.strip().split("[,\\s]+")));
    }

    private static Rule parseEntry(String entry) {
        String lower = entry.toLowerCase(Locale.ROOT);
        if (lower.equals("same-origin")) {
            return new SameOrigin();
        }
        if (lower.equals("*")) {
            return new AnyOrigin();
        }
        Matcher wildcard = WILDCARD.matcher(lower);
        if (wildcard.matches()) {
            Origin base = Origin.parse(wildcard.group(1) + "://" + wildcard.group(2)
                            + (wildcard.group(3) == null ? "" : ":" + wildcard.group(3)))
                    .filter(o -> !o.host().startsWith("["))
                    .orElseThrow(() -> new IllegalArgumentException("'" + entry + "' is not a valid wildcard origin"));
            return new Subdomains(base.scheme(), base.host(), base.port());
        }
        return Origin.parse(lower)
                .<Rule>map(Exact::new)
                .orElseThrow(() -> new IllegalArgumentException("'" + entry
                        + "' is not same-origin, *, scheme://host[:port] or scheme://*.domain[:port]"));
    }

    /**
     * @param originHeader  the Origin header, or null when the client sent none
     * @param requestOrigin the handshake request's own scheme, host and port, or null when unknown
     *                      (then same-origin entries match nothing: fail closed)
     * @param allowMissing  whether a request without an Origin header (a non-browser client) is allowed
     */
    public Verdict check(String originHeader, Origin requestOrigin, boolean allowMissing) {
        if (originHeader == null) {
            return allowMissing ? Verdict.allow() : Verdict.refuse("no Origin header and allowMissingOrigin=false");
        }
        if (originHeader.strip().equalsIgnoreCase("null")) {
            return Verdict.refuse("opaque origin 'null'");
        }
        Origin origin = Origin.parse(originHeader).orElse(null);
        if (origin == null) {
            return Verdict.refuse("malformed origin");
        }
        for (Rule rule : rules) {
            if (rule.allows(origin, requestOrigin)) {
                return Verdict.allow();
            }
        }
        return Verdict.refuse("not in allowedOrigins [" + text + "]"
                + (requestOrigin == null ? "" : ", request origin " + requestOrigin));
    }

    @Override
    public String toString() {
        return text;
    }
}
