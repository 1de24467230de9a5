package dev.threadlab.common.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts another JVM running one of this program's own classes: the same {@code java}
 * executable and the same class path as the current JVM. Modules that teach what happens to a
 * whole process (daemon threads at exit, worker processes) launch their children this way.
 *
 * <p>The caller owns the returned process: destroy it, or wait for it, before returning. The
 * course's test support fails a test that leaves a child process alive.
 */
public final class JavaProcess {

    private JavaProcess() {}

    /** @return the path of the {@code java} launcher running this JVM */
    public static String javaExecutable() {
        return ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * A {@link ProcessBuilder} for {@code java [jvmOptions] -cp <this class path> mainClass args}.
     *
     * @param mainClass  a class of this program with a {@code main} method
     * @param jvmOptions options for the child JVM (e.g. {@code -Xmx64m}), may be empty
     * @param args       the child's program arguments
     */
    public static ProcessBuilder builder(Class<?> mainClass, List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }
}
