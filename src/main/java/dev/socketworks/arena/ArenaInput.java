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

    /** A player's name, in code points: what the leaderboard and the view have room for. */
    static final int MAX_NAME_LENGTH = 32;

    private ArenaInput() {
    }

    /**
     * A message's commands as far as its sender's rates let it be read: {@code commandsLimited} when
     * lines were left unread past the command rate, {@code saysLimited} when says were dropped past the
     * say rate.
     */
    public record Commands(List<Command> commands, boolean commandsLimited, boolean saysLimited) {
    }

    /** Each non-blank line of the message, in order (CRLF or LF), with no rate: for tests and what was limited already. */
    public static List<Command> parse(String message) {
        return parse(message, null, null).commands();
    }

    /**
     * Each non-blank line of the message, in order (CRLF or LF), each taking a token of
     * {@code commands} before it is parsed and each say one of {@code says} (null: no limit, a relayed
     * seat's server applied them): at the first line past the command rate the rest of the message is
     * not read, so a message of a million lines costs its sender what sixty cost.
     */
    public static Commands parse(String message, CommandRate commands, CommandRate says) {
        List<Command> parsed = new ArrayList<>();
        boolean saysLimited = false;
        int at = 0;
        while (at < message.length()) {
            int end = message.indexOf('\n', at);
            if (end < 0) {
                end = message.length();
            }
            int lineEnd = end > at && message.charAt(end - 1) == '\r' ? end - 1 : end;
            String line = message.substring(at, lineEnd).strip();
            at = end + 1;
            if (line.isEmpty()) {
                continue;
            }
            if (commands != null && !commands.take()) {
                return new Commands(parsed, true, saysLimited);
            }
            if (says != null && isSay(line) && !says.take()) {
                saysLimited = true;
                continue;
            }
            parsed.add(line(line));
        }
        return new Commands(parsed, false, saysLimited);
    }

    private static boolean isSay(String line) {
        return line.startsWith("say") && (line.length() == 3 || line.charAt(3) == ' ');
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
        DisplayNames.Checked checked = DisplayNames.check(name, "name", MAX_NAME_LENGTH);
        return checked.isValid() ? new Join(checked.name()) : new Invalid("invalid-name", checked.error());
    }

    private static Command say(String text) {
        if (text.isEmpty()) {
            return new Invalid("invalid-command", "say what? say TEXT");
        }
        if (text.length() > MAX_SAY_BYTES || dev.socketworks.json.Unicode.utf8Length(text) > MAX_SAY_BYTES) {
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
        int space = firstBlank(rest);
        String first = space < 0 ? rest : rest.substring(0, space);
        String second = space < 0 ? "" : rest.substring(space + 1).strip();
        if (first.isEmpty() || second.isEmpty() || firstBlank(second) >= 0) {
            return new Invalid("invalid-command", "expected " + usage);
        }
        try {
            return make.of(number(first), number(second));
        } catch (NumberFormatException e) {
            return new Invalid("invalid-command", "expected " + usage + " with finite numbers up to 1e7");
        }
    }

    /**
     * A plain decimal: {@code [-+]? (digits [. digits?] | . digits) ([eE] [-+]? 1-3 digits)?}, at most 32
     * chars. Checked by hand, not by a regex: this runs for every aim a client sends. Double.parseDouble
     * alone also takes "NaN", "Infinity", hex floats and a trailing 'd'.
     */
    private static double number(String text) {
        if (text.length() > 32 || !isPlainDecimal(text)) {
            throw new NumberFormatException(text);
        }
        double value = Double.parseDouble(text);
        if (!Double.isFinite(value) || Math.abs(value) > MAX_COORDINATE) {
            throw new NumberFormatException(text);
        }
        return value;
    }

    static boolean isPlainDecimal(String text) {
        int i = 0;
        int n = text.length();
        if (i < n && (text.charAt(i) == '-' || text.charAt(i) == '+')) {
            i++;
        }
        int intDigits = digits(text, i);
        i += intDigits;
        int fractionDigits = 0;
        if (i < n && text.charAt(i) == '.') {
            i++;
            fractionDigits = digits(text, i);
            i += fractionDigits;
        }
        if (intDigits == 0 && fractionDigits == 0) {
            return false;
        }
        if (i < n && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            i++;
            if (i < n && (text.charAt(i) == '-' || text.charAt(i) == '+')) {
                i++;
            }
            int exponentDigits = digits(text, i);
            if (exponentDigits < 1 || exponentDigits > 3) {
                return false;
            }
            i += exponentDigits;
        }
        return i == n;
    }

    private static int firstBlank(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static int digits(String text, int from) {
        int i = from;
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        return i - from;
    }
}
