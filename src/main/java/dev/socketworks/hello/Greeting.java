package dev.socketworks.hello;

import dev.socketworks.json.DisplayNames;

/** What {@code /hello} answers to one message: pure, so every input has its answer. */
public final class Greeting {

    /** As long as a chat username: a name is a name. */
    static final int MAX_NAME_LENGTH = 32;

    private Greeting() {
    }

    /** "Hello NAME!" for a name (trimmed; the chat's rules for length and invisible characters), else "error: ...". */
    public static String reply(String message) {
        DisplayNames.Checked checked = DisplayNames.check(message, "name", MAX_NAME_LENGTH);
        return checked.isValid() ? "Hello " + checked.name() + "!" : "error: " + checked.error();
    }
}
