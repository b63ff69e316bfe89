package dev.socketworks.arena;

import dev.socketworks.json.DisplayNames;

import java.util.ArrayList;
import java.util.List;

/**
 * The arena's client → server protocol, as the websocketd talk's replicator had it: plain text, one
 * command per line, several lines per message allowed. Pure: every line gives a command or an
 * error with a code, never an exception.
 */
public final class ArenaInput {

    /** As long as a chat line may be at most, in UTF-8 bytes: a say is seen by everyone near. */
    static final int MAX_SAY_BYTES = 280;
    /** Numbers are world units or a direction; anything larger is a mistake or a probe. */
    private static final double MAX_COORDINATE = 1e7;

    public sealed interface Command {
    }

    public record Join(String name) implements Command {
    }

    public record Aim(double dx, double dy) implements Command {
    }

    public record Target(double x, double y) implements Command {
    }

    public record Boost() implements Command {
    }

    public record Say(String text) implements Command {
    }

    public record Leave() implements Command {
    }

    public record Invalid(String code, String message) implements Command {
    }

    private ArenaInput() {
    }

    /** Each non-blank line of the message, in order (CRLF or LF). */
    public static List<Command> parse(String message) {
        List<Command> commands = new ArrayList<>();
        for (String line : message.split("\r?\n")) {
            if (!line.isBlank()) {
                commands.add(line(line.strip()));
            }
        }
        return commands;
    }

    /** A valid command as a line that parses back to it: what a server relays to the one running the arena. */
    static String format(Command command) {
        if (command instanceof Join join) {
            return "join " + join.name();
        } else if (command instanceof Aim aim) {
            return "aim " + aim.dx() + " " + aim.dy();
        } else if (command instanceof Target target) {
            return "target " + target.x() + " " + target.y();
        } else if (command instanceof Boost) {
            return "boost";
        } else if (command instanceof Say say) {
            return "say " + say.text();
        } else if (command instanceof Leave) {
            return "leave";
        }
        throw new IllegalArgumentException("an invalid command is answered where it arrives, not relayed");
    }

    static Command line(String line) {
        int space = line.indexOf(' ');
        String verb = space < 0 ? line : line.substring(0, space);
        String rest = space < 0 ? "" : line.substring(space + 1).strip();
        return switch (verb) {
            case "join" -> join(rest);
            case "aim" -> twoNumbers(rest, "aim DX DY", Aim::new);
            case "target" -> twoNumbers(rest, "target X Y", Target::new);
            case "boost" -> rest.isEmpty() ? new Boost() : new Invalid("invalid-command", "boost takes no argument");
            case "say" -> say(rest);
            case "leave" -> rest.isEmpty() ? new Leave() : new Invalid("invalid-command", "leave takes no argument");
            default -> new Invalid("unknown-command", "unknown command '" + dev.socketworks.json.Unicode.quotable(verb, 32)
                    + "'; use join NAME, aim DX DY, target X Y, boost, say TEXT or leave");
        };
    }

    private static Command join(String name) {
        DisplayNames.Checked checked = DisplayNames.check(name, "name", 32);
        return checked.isValid() ? new Join(checked.name()) : new Invalid("invalid-name", checked.error());
    }

    private static Command say(String text) {
        if (text.isEmpty()) {
            return new Invalid("invalid-command", "say what? say TEXT");
        }
        if (dev.socketworks.json.Unicode.utf8Length(text) > MAX_SAY_BYTES) {
            return new Invalid("too-long", "say takes at most " + MAX_SAY_BYTES + " bytes (UTF-8)");
        }
        if (text.chars().anyMatch(c -> c < 0x20 || c == 0x7F) || !dev.socketworks.json.Unicode.isWellFormed(text)) {
            return new Invalid("invalid-command", "say text must be well-formed and without control characters");
        }
        return new Say(text);
    }

    private interface Pair {
        Command of(double a, double b);
    }

    private static Command twoNumbers(String rest, String usage, Pair make) {
        String[] parts = rest.split("\\s+");
        if (parts.length != 2) {
            return new Invalid("invalid-command", "expected " + usage);
        }
        try {
            double a = number(parts[0]);
            double b = number(parts[1]);
            return make.of(a, b);
        } catch (NumberFormatException e) {
            return new Invalid("invalid-command", "expected " + usage + " with finite numbers up to 1e7");
        }
    }

    private static double number(String text) {
        // Double.parseDouble also takes "NaN", "Infinity", hex floats and a trailing 'd': not here.
        if (text.length() > 32 || !text.matches("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d{1,3})?")) {
            throw new NumberFormatException(text);
        }
        double value = Double.parseDouble(text);
        if (!Double.isFinite(value) || Math.abs(value) > MAX_COORDINATE) {
            throw new NumberFormatException(text);
        }
        return value;
    }
}
