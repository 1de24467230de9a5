package dev.threadlab.common.runner;

import dev.threadlab.common.cli.Cli;
import dev.threadlab.common.runner.Course.Module;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/**
 * A module's demos: its classes with a {@code main} and picocli's {@code @Command} (every demo
 * and benchmark of the course runs through common's {@code Cli}). A demo is named by its lesson
 * number ({@code 05} for {@code Locks_05_Deadlock}), by its name in kebab case ({@code deadlock}),
 * or by its class name.
 */
final class Demos {

    /** One demo: its class, lesson number (may be empty) and short name. */
    record Demo(String className, String number, String name, String description) {

        String simpleName() {
            return className.substring(className.lastIndexOf('.') + 1);
        }

        /** @return every spelling that names this demo */
        List<String> aliases() {
            List<String> aliases = new ArrayList<>(List.of(name, simpleName()));
            if (!number.isEmpty()) {
                aliases.add(number);
                aliases.add(Integer.toString(Integer.parseInt(number)));
            }
            return aliases;
        }
    }

    static List<Demo> of(Module module) {
        List<Demo> demos = new ArrayList<>();
        try (Stream<Path> files = Files.walk(module.classes());
                ModuleLoader loader = module.newLoader()) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")
                            && !f.getFileName().toString().contains("$"))
                    .sorted()
                    .toList()) {
                String className = module.classes()
                        .relativize(file)
                        .toString()
                        .replace('/', '.')
                        .replaceAll("\\.class$", "");
                Class<?> type;
                try {
                    type = Class.forName(className, false, loader);
                } catch (ClassNotFoundException | LinkageError e) {
                    continue;
                }
                Command command = type.getAnnotation(Command.class);
                if (command == null || !hasMain(type)) {
                    continue;
                }
                String simple = type.getSimpleName();
                String number = Cli.demoNumber(simple);
                String name = Cli.demoName(simple); // the name its usage gives it, too
                demos.add(new Demo(className, number, name, String.join(" ", command.description())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        demos.sort(Comparator.comparing((Demo d) -> d.number().isEmpty())
                .thenComparing(Demo::number)
                .thenComparing(Demo::name));
        return demos;
    }

    private static boolean hasMain(Class<?> type) {
        try {
            Method main = type.getMethod("main", String[].class);
            return Modifier.isStatic(main.getModifiers());
        } catch (NoSuchMethodException | LinkageError e) {
            return false;
        }
    }

    static Optional<Demo> find(List<Demo> demos, String wanted) {
        String squashed = Names.squash(wanted);
        List<Demo> exact = demos.stream()
                .filter(d -> d.aliases().stream().anyMatch(a -> Names.squash(a).equals(squashed)))
                .toList();
        if (exact.size() == 1) {
            return Optional.of(exact.get(0));
        }
        List<Demo> prefix = demos.stream()
                .filter(d -> Names.squash(d.name()).startsWith(squashed))
                .toList();
        return prefix.size() == 1 ? Optional.of(prefix.get(0)) : Optional.empty();
    }

    /**
     * The command that runs a demo as {@code ./mvnw ... -Pdemo} does: this JDK, the module's class
     * path (the learner's compiled classes first, no test classes), the demo's arguments.
     */
    static List<String> command(Module module, Path scratch, Demo demo, List<String> args) {
        List<String> classPath = new ArrayList<>();
        classPath.add(scratch.toString());
        module.classPath().stream()
                .filter(p -> !p.endsWith("test-classes"))
                .map(Path::toString)
                .forEach(classPath::add);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(classPath.stream().collect(Collectors.joining(File.pathSeparator)));
        command.add(demo.className());
        command.addAll(args);
        return command;
    }
}
