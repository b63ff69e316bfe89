package dev.socketworks.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One of the engine's Lua scripts, from the resource files {@code dev/socketworks/hub/lua/*.lua}, each
 * headed by the KEYS and ARGV it takes. Sent by its SHA-1, its source only when Redis does not know
 * it (a restart, a new server, a script flush).
 */
record LuaScript(String source, String sha) {

    /** The shared fragments it names (epoch, members, holds) and then the script, read from the class path once. */
    static LuaScript load(String... files) {
        StringBuilder source = new StringBuilder();
        for (String file : files) {
            try (InputStream in = LuaScript.class.getResourceAsStream("lua/" + file + ".lua")) {
                if (in == null) {
                    throw new IllegalStateException("missing script lua/" + file + ".lua beside LuaScript");
                }
                source.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new LuaScript(source.toString(), sha1(source.toString()));
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
