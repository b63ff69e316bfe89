package dev.socketworks.handshake;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which names in the request's Host header a {@code same-origin} Origin may be matched against. A
 * DNS-rebinding page controls both its Origin and the Host its browser sends (its own name, now
 * pointing at this server), so a same-origin comparison alone lets it in. IP literals are always
 * allowed (rebinding needs a name); names must be listed. Entries: {@code localhost},
 * {@code chat.example.com}, {@code *.example.com} (subdomains at any depth), or {@code *} (any
 * host: only for a server that nothing on a private network can be reached through).
 */
public final class HostPolicy {

    private static final Pattern NAME = Pattern.compile("[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*");
    private static final Pattern IPV4 = Pattern.compile("(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
            + "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-f:.]+]");

    private final List<String> exact;
    private final List<String> suffixes;
    private final boolean any;
    private final String text;

    private HostPolicy(List<String> exact, List<String> suffixes, boolean any, String text) {
        this.exact = List.copyOf(exact);
        this.suffixes = List.copyOf(suffixes);
        this.any = any;
        this.text = text;
    }

    /** @throws IllegalArgumentException naming the first entry that is not a host name, *.domain or * */
    public static HostPolicy parse(String text) {
        List<String> exact = new ArrayList<>();
        List<String> suffixes = new ArrayList<>();
        boolean any = false;
        List<String> entries = new ArrayList<>();
        for (String entry : text.strip().toLowerCase(Locale.ROOT).split("[,\\s]+")) {
            if (entry.isEmpty()) {
                continue;
            }
            entries.add(entry);
            if (entry.equals("*")) {
                any = true;
            } else if (entry.startsWith("*.") && NAME.matcher(entry.substring(2)).matches()) {
                suffixes.add(entry.substring(1));
            } else if (NAME.matcher(entry).matches()) {
                exact.add(entry);
            } else {
                throw new IllegalArgumentException("'" + entry + "' is not a host name, *.domain or *");
            }
        }
        return new HostPolicy(exact, suffixes, any, String.join(",", entries));
    }

    /** Whether {@code host} (as the request's Host header names it, lower case, no port) is allowed. */
    public boolean allows(String host) {
        if (host == null) {
            return false;
        }
        String name = host.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1); // "localhost." is the same name
        }
        if (name.indexOf(':') >= 0 && !name.startsWith("[")) {
            name = "[" + name + "]"; // containers differ in whether they keep an IPv6 literal's brackets
        }
        if (any || IPV4.matcher(name).matches() || IPV6.matcher(name).matches() || exact.contains(name)) {
            return true;
        }
        for (String suffix : suffixes) {
            if (name.endsWith(suffix) && name.length() > suffix.length()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return text;
    }
}
