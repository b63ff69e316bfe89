package dev.socketworks.bench;

/** A run that could not produce honest figures (a stall, lost connections): reported, never averaged. */
final class BenchFailure extends Exception {

    BenchFailure(String message) {
        super(message);
    }
}
