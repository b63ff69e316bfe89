package dev.socketworks.bridge;

/**
 * Threads for blocking pipe and socket reads. They are plain daemon threads: a read on a pipe has no
 * asynchronous form in Java SE, a managed executor's pool could be starved by them, and each one ends
 * when its program or connection does (the route's limit bounds how many there are).
 */
final class Threads {

    private Threads() {
    }

    static void start(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }
}
