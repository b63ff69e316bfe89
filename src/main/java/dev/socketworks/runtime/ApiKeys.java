package dev.socketworks.runtime;

import dev.socketworks.auth.Rights;
import dev.socketworks.json.StrictJson;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The keys a backend calls the HTTP API with, from the file {@code apiKeys} names:
 * {@code {"keys": [{"name": "backend", "key": "<at least 32 characters>", "rights": ["*"]}]}}. Every
 * mistake is refused naming the key and the field, unknown fields included. Only each key's SHA-256 is
 * kept, and a presented key is compared with every one in constant time: neither its length nor
 * where it differs shows in how long a refusal takes.
 */
public final class ApiKeys {

    /** Long enough that guessing is hopeless; at most this long, as a header carries it. */
    static final int MIN_KEY_CHARS = 32;
    static final int MAX_KEY_CHARS = 256;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** Printable ASCII without spaces: what an Authorization or X-API-Key header carries unchanged. */
    private static final Pattern KEY = Pattern.compile("[!-~]+");
    private static final Set<String> FIELDS = Set.of("name", "key", "rights");

    /** A key's holder: its name (for logs and metrics, never the key) and what it may do. */
    public record Holder(String name, Rights rights) {
    }

    private record Entry(byte[] digest, Holder holder) {
    }

    private final List<Entry> entries;

    private ApiKeys(List<Entry> entries) {
        this.entries = entries;
    }

    /** The keys in {@code file}; an {@link IllegalArgumentException} naming the key and field for any mistake. */
    public static ApiKeys read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return parse(text);
    }

    static ApiKeys parse(String text) {
        if (!(StrictJson.parse(text) instanceof StrictJson.Parsed parsed) || !(parsed.value() instanceof JsonObject root)) {
            throw new IllegalArgumentException("the file must hold one JSON object {\"keys\": [...]}");
        }
        if (!root.keySet().equals(Set.of("keys")) || !(root.get("keys") instanceof JsonArray keys)) {
            throw new IllegalArgumentException("the file must hold one field, \"keys\", an array");
        }
        List<Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> digests = new HashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            String at = "keys[" + i + "]";
            if (!(keys.get(i) instanceof JsonObject key)) {
                throw new IllegalArgumentException(at + " must be an object with name, key and rights");
            }
            for (String field : key.keySet()) {
                if (!FIELDS.contains(field)) {
                    throw new IllegalArgumentException(at + ": unknown field \"" + field + "\" (fields: name, key, rights)");
                }
            }
            String name = text(key, "name", at);
            at = "key \"" + name + "\"";
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(at + ": name must be 1-64 letters, digits, '.', '_' or '-'");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException(at + ": name used twice");
            }
            String secret = text(key, "key", at);
            if (secret.length() < MIN_KEY_CHARS || secret.length() > MAX_KEY_CHARS || !KEY.matcher(secret).matches()) {
                throw new IllegalArgumentException(at + ": key must be " + MIN_KEY_CHARS + " to " + MAX_KEY_CHARS
                        + " printable ASCII characters without spaces");
            }
            byte[] digest = sha256(secret);
            if (!digests.add(java.util.HexFormat.of().formatHex(digest))) {
                throw new IllegalArgumentException(at + ": key used by another entry");
            }
            if (!(key.get("rights") instanceof JsonArray rights) || rights.isEmpty()
                    || !rights.stream().allMatch(right -> right instanceof JsonString s && !s.getString().isBlank())) {
                throw new IllegalArgumentException(at + ": rights must be a non-empty array of rights (\"*\", \"api:broadcast\", ...)");
            }
            entries.add(new Entry(digest, new Holder(name, Rights.of(rights.getValuesAs(JsonString::getString)))));
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("\"keys\" is empty: list a key, or leave apiKeys unset to turn the API off");
        }
        return new ApiKeys(List.copyOf(entries));
    }

    private static String text(JsonObject object, String field, String at) {
        JsonValue value = object.get(field);
        if (!(value instanceof JsonString string)) {
            throw new IllegalArgumentException(at + ": " + field + " must be a string");
        }
        return string.getString();
    }

    /** Whose key {@code presented} is; every key is compared, in constant time. */
    public Optional<Holder> find(String presented) {
        if (presented == null || presented.isEmpty() || presented.length() > MAX_KEY_CHARS) {
            return Optional.empty();
        }
        byte[] digest = sha256(presented);
        Holder found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.digest(), digest)) {
                found = entry.holder();
            }
        }
        return Optional.ofNullable(found);
    }

    int size() {
        return entries.size();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
