package dev.socketworks.auth;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.websocket.server.ServerEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PathRightsTest {

    @ParameterizedTest(name = "{0} needs {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /echo           | echo
            /hello          | hello
            /ticker         | ticker
            /countdown      | countdown
            /broadcast      | broadcast:read;broadcast:publish
            /totals         | totals:read;totals:add
            /chat           | chat-read:lobby
            /chat/team red  | chat-read:team red
            /arena          | arena-watch:main
            /arena/duel     | arena-watch:duel
            /run/fizzbuzz   | run:fizzbuzz
            """)
    void eachEndpointsRights(String path, String rights) {
        assertThat(PathRights.toConnect(path)).isEqualTo(List.of(rights.split(";")));
    }

    @ParameterizedTest
    @CsvSource({"/nothing", "/echo/x", "/chat/a/b", "/run", "/chat/", "''"})
    void aPathNoEndpointServesNeedsNothing(String path) {
        assertThat(PathRights.toConnect(path)).isEmpty();
    }

    /** A new endpoint without a line in PathRights would be open to anyone in token mode: this fails first. */
    @Test
    void everyAnnotatedEndpointHasItsRights() {
        int endpoints = 0;
        for (JavaClass type : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.socketworks")) {
            if (type.isAnnotatedWith(ServerEndpoint.class)) {
                String path = type.getAnnotationOfType(ServerEndpoint.class).value().replaceAll("\\{[^}]+}", "x");
                assertThat(PathRights.toConnect(path)).as(type.getName() + " at " + path).isNotEmpty();
                endpoints++;
            }
        }
        assertThat(endpoints).isGreaterThanOrEqualTo(10);
    }
}
