package dev.socketworks.config;

/** A setting has a value that cannot be used; the message names the setting, its source and the value. */
public final class InvalidSettingException extends RuntimeException {
    public InvalidSettingException(String message) {
        super(message);
    }
}
