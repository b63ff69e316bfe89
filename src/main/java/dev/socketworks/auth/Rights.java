package dev.socketworks.auth;

import java.util.Collection;
import java.util.List;

/**
 * What a connection may do: right strings such as {@code chat:lobby}, {@code chat-read:*},
 * {@code broadcast:publish}, {@code run:fizzbuzz}, {@code echo}, where {@code *} matches any run of
 * characters (so {@code *} alone is every right). Granted by a token's {@code rights} claim, by the
 * container's roles, or by {@code guestRights}.
 *
 * <p>A right to act implies the right to look: {@code chat:R} includes {@code chat-read:R} and
 * {@code arena:A} includes {@code arena-watch:A}; {@code broadcast:publish} and {@code totals:add} do
 * not include reading, a producer may be write-only.
 */
public final class Rights {

    /** Rights and patterns at most this long: they come from tokens, whose size is bounded anyway. */
    static final int MAX_PATTERN_CHARS = 256;

    private static final Rights NONE = new Rights(List.of());
    private static final Rights ALL = new Rights(List.of("*"));

    private final List<String> patterns;

    private Rights(List<String> patterns) {
        this.patterns = patterns;
    }

    /** The given patterns; blank ones and ones over {@value #MAX_PATTERN_CHARS} characters grant nothing. */
    public static Rights of(Collection<String> patterns) {
        return new Rights(patterns.stream()
                .filter(p -> p != null && !p.isBlank() && p.length() <= MAX_PATTERN_CHARS)
                .map(String::strip)
                .toList());
    }

    /** A comma-separated list, as a setting gives it ("" is none, "*" is all). */
    public static Rights parse(String commaSeparated) {
        return of(List.of(commaSeparated.split(",")));
    }

    public static Rights none() {
        return NONE;
    }

    public static Rights all() {
        return ALL;
    }

    public boolean isEmpty() {
        return patterns.isEmpty();
    }

    /** Whether {@code right} (a concrete right: no wildcard of its own) is granted, directly or implied. */
    public boolean allows(String right) {
        if (right.length() > MAX_PATTERN_CHARS) {
            return false;
        }
        if (grants(right)) {
            return true;
        }
        if (right.startsWith("chat-read:")) {
            return grants("chat:" + right.substring("chat-read:".length()));
        }
        if (right.startsWith("arena-watch:")) {
            return grants("arena:" + right.substring("arena-watch:".length()));
        }
        return false;
    }

    private boolean grants(String right) {
        for (String pattern : patterns) {
            if (matches(pattern, right)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Glob match with {@code *} only: the two-pointer walk that backtracks only to the last star, at
     * worst pattern × text steps, both at most {@value #MAX_PATTERN_CHARS} characters. No regex.
     */
    static boolean matches(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int starText = 0;
        while (t < text.length()) {
            if (p < pattern.length() && pattern.charAt(p) != '*' && pattern.charAt(p) == text.charAt(t)) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                starText = t;
            } else if (star >= 0) {
                p = star + 1;
                t = ++starText;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    @Override
    public String toString() {
        return String.join(",", patterns);
    }
}
