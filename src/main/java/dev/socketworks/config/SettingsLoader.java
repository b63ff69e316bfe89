package dev.socketworks.config;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Resolves each {@link Setting}: system property, then environment, then context parameter, then default. */
public final class SettingsLoader {

    private SettingsLoader() {
    }

    /** Reads this JVM's system properties and environment, then {@code contextParams}. */
    public static Settings load(UnaryOperator<String> contextParams) {
        return load(System::getProperty, System::getenv, contextParams);
    }

    public static Settings load(UnaryOperator<String> systemProperties, UnaryOperator<String> environment,
                                UnaryOperator<String> contextParams) {
        Map<Setting<?>, Object> values = new LinkedHashMap<>();
        Map<Setting<?>, String> sources = new HashMap<>();
        for (Setting<?> setting : Settings.ALL) {
            String text;
            String source;
            if ((text = systemProperties.apply(setting.propertyName())) != null) {
                source = "system property " + setting.propertyName();
            } else if ((text = environment.apply(setting.environmentName())) != null) {
                source = "environment variable " + setting.environmentName();
            } else if ((text = contextParams.apply(setting.propertyName())) != null) {
                source = "context parameter " + setting.propertyName();
            } else {
                text = setting.defaultValue();
                source = "default";
            }
            values.put(setting, setting.parse(text, source));
            sources.put(setting, source);
        }
        return new Settings(values, sources);
    }
}
