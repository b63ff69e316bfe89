package dev.socketworks.runtime;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.servlet.annotation.WebServlet;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document cannot drift from the code: every API servlet's routes, methods and rights are
 * in it and nothing else is; every call documents the answers the base gives every call; every
 * schema it names exists. (ApiIT holds each call's real status codes to it in a container.)
 */
class OpenApiDocumentTest {

    private static final JsonObject DOCUMENT = OpenApiServlet.document();

    /** Each API servlet: its URL patterns and the right each method needs. */
    private record Call(String servlet, List<String> patterns, Map<String, String> rights) {
        boolean serves(String path) {
            return patterns.stream().anyMatch(pattern -> pattern.equals(path)
                    || pattern.endsWith("/*") && path.startsWith(pattern.substring(0, pattern.length() - 1)));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Call> calls() throws Exception {
        List<Call> calls = new java.util.ArrayList<>();
        for (JavaClass type : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.socketworks")) {
            if (!type.isAssignableTo(ApiServlet.class) || type.reflect() == ApiServlet.class) {
                continue;
            }
            Class<?> servlet = type.reflect();
            WebServlet mapping = servlet.getAnnotation(WebServlet.class);
            assertThat(mapping).as(servlet + " is mapped").isNotNull();
            Method rights = ApiServlet.class.getDeclaredMethod("rights");
            rights.setAccessible(true);
            Object instance = servlet.getDeclaredConstructor().newInstance();
            calls.add(new Call(servlet.getSimpleName(), List.of(mapping.urlPatterns()), (Map<String, String>) rights.invoke(instance)));
        }
        return calls;
    }

    @Test
    void everyRouteMethodAndRightIsDocumentedAndNothingElse() throws Exception {
        List<Call> calls = calls();
        assertThat(calls).extracting(Call::servlet).contains("BroadcastApi", "TotalsApi", "InfoApi", "DrainApi", "ConnectionsApi",
                "UsersApi", "RoomsApi");
        Map<String, Set<String>> documentedMethods = new HashMap<>();
        Set<String> coveredPatterns = new TreeSet<>();
        for (Map.Entry<String, JsonValue> path : DOCUMENT.getJsonObject("paths").entrySet()) {
            List<Call> serving = calls.stream().filter(call -> call.serves(path.getKey())).toList();
            assertThat(serving).as("exactly one servlet serves " + path.getKey()).hasSize(1);
            Call call = serving.get(0);
            call.patterns().stream().filter(p -> p.equals(path.getKey()) || p.endsWith("/*") && path.getKey().startsWith(p.substring(0, p.length() - 1)))
                    .forEach(coveredPatterns::add);
            for (Map.Entry<String, JsonValue> operation : path.getValue().asJsonObject().entrySet()) {
                String method = operation.getKey().toUpperCase(Locale.ROOT);
                assertThat(call.rights()).as(call.servlet() + " has " + method + " " + path.getKey()).containsKey(method);
                assertThat(operation.getValue().asJsonObject().getString("x-right")).as(method + " " + path.getKey())
                        .isEqualTo(call.rights().get(method));
                documentedMethods.computeIfAbsent(call.servlet(), s -> new TreeSet<>()).add(method);
            }
        }
        for (Call call : calls) {
            assertThat(documentedMethods.get(call.servlet())).as(call.servlet() + "'s methods, all documented")
                    .isEqualTo(new TreeSet<>(call.rights().keySet()));
            // A servlet's bare path ("/api/rooms") and its sub-paths ("/api/rooms/*") are each documented.
            assertThat(coveredPatterns).as(call.servlet() + "'s patterns").containsAll(call.patterns());
        }
    }

    @Test
    void everyCallDocumentsWhatTheBaseAnswersAndEverySchemaItNamesExists() {
        Set<String> schemas = DOCUMENT.getJsonObject("components").getJsonObject("schemas").keySet();
        Map<String, Set<String>> statuses = new TreeMap<>();
        DOCUMENT.getJsonObject("paths").forEach((path, operations) -> operations.asJsonObject().forEach((method, operation) ->
                statuses.put(method + " " + path, operation.asJsonObject().getJsonObject("responses").keySet())));
        statuses.forEach((call, answers) -> assertThat(answers).as(call).contains("401", "403", "404", "405", "429", "503")
                .anyMatch(status -> status.startsWith("2")));
        Matcher refs = Pattern.compile("\"#/components/schemas/([A-Za-z]+)\"").matcher(DOCUMENT.toString());
        while (refs.find()) {
            assertThat(schemas).as("schema " + refs.group(1)).contains(refs.group(1));
        }
        assertThat(DOCUMENT.getString("openapi")).startsWith("3.");
    }
}
