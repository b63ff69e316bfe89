package dev.socketworks;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "How a message flows" (src/site/markdown/message-flow.md) names classes, methods, scripts and
 * tests in code spans; each must exist, so the page cannot drift from the code unnoticed.
 * {@code chat.Room.say}: a class of dev.socketworks.chat with a member say; {@code SharedArena.Inbound}:
 * a class found by its simple name with a nested class or member; {@code LogContract}, a test
 * class; {@code hub/lua/publish.lua} or {@code epoch.lua}: a script in hub/lua.
 */
class MessageFlowDocTest {

    private static final Path DOC = Path.of("src/site/markdown/message-flow.md");
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");
    private static final Pattern QUALIFIED = Pattern.compile("[a-z]+(\\.[A-Z]\\w*)+(\\.[a-z]\\w*|\\.[A-Z_]+)?");
    private static final Pattern SIMPLE_WITH_MEMBER = Pattern.compile("[A-Z]\\w*(\\.[A-Za-z_]\\w*)+");
    private static final Pattern TEST_CLASS = Pattern.compile("[A-Z]\\w*(Test|Contract|IT)");
    private static final Pattern TEST_METHOD = Pattern.compile("([A-Z]\\w*(Test|Contract|IT))\\.([a-z]\\w*)");

    @Test
    void everyClassMethodScriptAndTestItNamesExists() throws IOException {
        String doc = Files.readString(DOC);
        List<String> missing = new ArrayList<>();
        int checked = 0;
        Matcher spans = CODE_SPAN.matcher(doc);
        while (spans.find()) {
            String token = spans.group(1).replaceFirst("\\(.*$", "");
            Boolean exists = null;
            if (token.endsWith(".lua")) {
                exists = Files.exists(Path.of("src/main/resources/dev/socketworks/hub/lua", Path.of(token).getFileName().toString()));
            } else if (TEST_METHOD.matcher(token).matches()) {
                Matcher test = TEST_METHOD.matcher(token);
                test.matches();
                Path file = sourceFile(Path.of("src/test/java"), test.group(1));
                exists = file != null && Files.readString(file).contains("void " + test.group(3) + "(");
            } else if (TEST_CLASS.matcher(token).matches()) {
                exists = sourceFile(Path.of("src/test/java"), token) != null;
            } else if (QUALIFIED.matcher(token).matches()) {
                exists = exists("dev.socketworks." + token);
            } else if (SIMPLE_WITH_MEMBER.matcher(token).matches()) {
                Path file = sourceFile(Path.of("src/main/java"), token.substring(0, token.indexOf('.')));
                exists = file != null && exists(Path.of("src/main/java").relativize(file).toString()
                        .replace(".java", "").replace('/', '.') + token.substring(token.indexOf('.')));
            }
            if (exists != null) {
                checked++;
                if (!exists) {
                    missing.add(token);
                }
            }
        }
        assertThat(checked).as("code spans checked").isGreaterThan(30);
        assertThat(missing).as("named in " + DOC + " but not in the code").isEmpty();
    }

    /** a.b.C, a.b.C.member, a.b.C.Nested or a.b.C.Nested.member. */
    private static boolean exists(String name) {
        String[] parts = name.split("\\.");
        int firstClass = 0;
        while (firstClass < parts.length && !Character.isUpperCase(parts[firstClass].charAt(0))) {
            firstClass++;
        }
        String className = String.join(".", Arrays.copyOf(parts, firstClass + 1));
        Class<?> type = load(className);
        if (type == null) {
            return false;
        }
        for (int i = firstClass + 1; i < parts.length; i++) {
            Class<?> nested = load(type.getName() + "$" + parts[i]);
            if (nested != null) {
                type = nested;
            } else {
                return i == parts.length - 1 && hasMember(type, parts[i]);
            }
        }
        return true;
    }

    private static boolean hasMember(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (Stream.of(c.getDeclaredMethods()).map(Method::getName).anyMatch(name::equals)
                    || Stream.of(c.getDeclaredFields()).anyMatch(f -> f.getName().equals(name))) {
                return true;
            }
            for (Class<?> i : c.getInterfaces()) {
                if (hasMember(i, name)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, MessageFlowDocTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    private static Path sourceFile(Path root, String simpleName) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.getFileName().toString().equals(simpleName + ".java")).findFirst().orElse(null);
        }
    }
}
