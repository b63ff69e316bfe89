package dev.socketworks.handshake;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The deployment's WebSocket paths ("/echo", "/chat/{room}", "/run/cat"), as the plain-HTTP answers
 * on them need them: the servlet URL patterns to map, and the allowed origins of the endpoint a
 * request path belongs to. Built at start-up from what was deployed, never from a second list.
 */
public final class EndpointPaths {

    public static final String ATTRIBUTE = EndpointPaths.class.getName();

    // path template -> its own allowed origins, or null where the global setting applies
    private final Map<String, OriginPolicy> templates = new LinkedHashMap<>();

    public void add(String template, OriginPolicy ownOrigins) {
        templates.put(template, ownOrigins);
    }

    /**
     * Servlet URL patterns covering every path: a template's fixed part followed by "/*" where a
     * variable begins, "" for the context root.
     */
    public List<String> urlPatterns() {
        List<String> patterns = new ArrayList<>();
        for (String template : templates.keySet()) {
            String pattern = servletPattern(template);
            if (!patterns.contains(pattern)) {
                patterns.add(pattern);
            }
        }
        return patterns;
    }

    static String servletPattern(String template) {
        if (template.equals("/")) {
            return "";
        }
        int variable = template.indexOf("/{");
        return variable < 0 ? template : template.substring(0, variable) + "/*";
    }

    /** The allowed origins of the endpoint that serves {@code path}, or null for the global setting. */
    public OriginPolicy ownOrigins(String path) {
        for (Map.Entry<String, OriginPolicy> entry : templates.entrySet()) {
            if (matches(entry.getKey(), path)) {
                return entry.getValue();
            }
        }
        return null;
    }

    /** Whether {@code path} is one a template describes: each "{name}" stands for one segment. */
    static boolean matches(String template, String path) {
        String[] want = template.split("/", -1);
        String[] got = path.split("/", -1);
        if (want.length != got.length) {
            return false;
        }
        for (int i = 0; i < want.length; i++) {
            boolean variable = want[i].startsWith("{") && want[i].endsWith("}");
            if (variable ? got[i].isEmpty() : !want[i].equals(got[i])) {
                return false;
            }
        }
        return true;
    }
}
