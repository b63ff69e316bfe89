package dev.socketworks.bridge;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongFunction;
import java.util.stream.Stream;

/**
 * A program's descendants, found from the program down rather than from every process up. The JDK's
 * {@link ProcessHandle#descendants()} reads the parent of every process on the machine, on each call:
 * with a route's thousand programs running, ending each one read all of them, twice. A Linux kernel
 * built with {@code CONFIG_PROC_CHILDREN} lists a thread's children in
 * {@code /proc/PID/task/TID/children}, so the walk costs only the program's own tree (a {@code cat}
 * has none: one small read). Without those files (other kernels, other systems) it falls back to the
 * JDK's scan.
 */
final class ProcessTree {

    private static final ProcessTree SYSTEM = new ProcessTree(Path.of("/proc"), pid -> ProcessHandle.of(pid).orElse(null));

    private final Path proc;
    private final LongFunction<ProcessHandle> handles;
    private final boolean childrenListed;

    ProcessTree(Path proc, LongFunction<ProcessHandle> handles) {
        this.proc = proc;
        this.handles = handles;
        this.childrenListed = listsChildren(proc);
    }

    static ProcessTree system() {
        return SYSTEM;
    }

    /** Whether this system lists children per task (checked on this process's own tasks). */
    boolean walksFromTheTop() {
        return childrenListed;
    }

    /** The live descendants of {@code root}: children first, each before its own. */
    List<ProcessHandle> descendants(ProcessHandle root) {
        return childrenListed ? walk(root.pid()) : root.descendants().toList();
    }

    /** The descendants of {@code rootPid} from the children lists, breadth first; those gone meanwhile left out. */
    List<ProcessHandle> walk(long rootPid) {
        Set<Long> seen = new LinkedHashSet<>();
        Deque<Long> toVisit = new ArrayDeque<>();
        toVisit.add(rootPid);
        while (!toVisit.isEmpty()) {
            for (long child : children(toVisit.poll())) {
                if (seen.add(child)) {
                    toVisit.add(child);
                }
            }
        }
        List<ProcessHandle> found = new ArrayList<>(seen.size());
        for (long pid : seen) {
            ProcessHandle handle = handles.apply(pid);
            if (handle != null) {
                found.add(handle);
            }
        }
        return found;
    }

    /** The children of every thread of {@code pid}; none when it is gone. */
    List<Long> children(long pid) {
        List<Long> children = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve(Long.toString(pid)).resolve("task"))) {
            for (Path task : tasks) {
                String listed;
                try {
                    listed = Files.readString(task.resolve("children"));
                } catch (IOException threadEnded) {
                    continue;
                }
                for (String child : listed.trim().split("\\s+")) {
                    if (!child.isEmpty()) {
                        children.add(Long.parseLong(child));
                    }
                }
            }
        } catch (IOException | NumberFormatException gone) {
            // the process ended while being read: it has no children to find
        }
        return children;
    }

    private static boolean listsChildren(Path proc) {
        Path self = proc.resolve(Long.toString(ProcessHandle.current().pid())).resolve("task");
        try (Stream<Path> tasks = Files.list(self)) {
            return tasks.findFirst().map(task -> Files.isReadable(task.resolve("children"))).orElse(false);
        } catch (IOException | RuntimeException unavailable) {
            return false;
        }
    }
}
