package dev.socketworks.bridge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessTreeTest {

    /** A /proc laid out as Linux lays it out with CONFIG_PROC_CHILDREN: children per thread. */
    private static void children(Path proc, long pid, String task, String listed) throws Exception {
        Path dir = proc.resolve(Long.toString(pid)).resolve("task").resolve(task);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("children"), listed);
    }

    @Test
    void withChildrenListedPerThreadTheWalkFindsTheWholeTreeFromTheProgramDown(@TempDir Path proc) throws Exception {
        children(proc, ProcessHandle.current().pid(), "1", ""); // this JVM's own tasks: the kernel lists children
        children(proc, 100, "100", "101 ");
        children(proc, 100, "107", "102\n"); // a child started by another thread of the program
        children(proc, 101, "101", "103 104 ");
        children(proc, 103, "103", "");
        List<Long> asked = new ArrayList<>();
        ProcessTree tree = new ProcessTree(proc, pid -> {
            asked.add(pid);
            return pid == 104 ? null : ProcessHandle.current(); // 104 ended before it was looked up
        });

        assertThat(tree.walksFromTheTop()).isTrue();
        assertThat(tree.walk(999)).isEmpty(); // not in this /proc: gone
        assertThat(tree.children(100)).containsExactly(101L, 102L);
        assertThat(tree.children(999)).isEmpty();
        asked.clear();
        assertThat(tree.walk(100)).hasSize(3);
        assertThat(asked).containsExactly(101L, 102L, 103L, 104L);
    }

    @Test
    void withoutChildrenListsItAsksTheJdkWhichFindsABackgroundChild(@TempDir Path proc) throws Exception {
        ProcessTree tree = new ProcessTree(proc, pid -> ProcessHandle.of(pid).orElse(null));
        assertThat(tree.walksFromTheTop()).isFalse();
        Process program = new ProcessBuilder("sh", "-c", "sleep 30 & echo $!; wait").start();
        try {
            // The child's pid, as the shell reports it (its command may still be the shell's: fork before exec).
            long child = Long.parseLong(new java.io.BufferedReader(new java.io.InputStreamReader(program.getInputStream()))
                    .readLine().trim());
            assertThat(tree.descendants(program.toHandle())).extracting(ProcessHandle::pid).contains(child);
            // This machine's own answer agrees with the JDK's, whichever way it finds it.
            assertThat(ProcessTree.system().descendants(program.toHandle()))
                    .containsExactlyInAnyOrderElementsOf(program.descendants().toList());
        } finally {
            program.descendants().forEach(ProcessHandle::destroyForcibly);
            program.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

}
