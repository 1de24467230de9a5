package dev.threadlab.common.instructor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A course of one module written on the spot, the smallest tree the instructor tools accept. */
final class MiniCourse {

    private MiniCourse() {}

    static Path write(Path root) throws IOException {
        write(root, "pom.xml", """
                <project>
                  <modules>
                    <module>common</module>
                    <module>01-demo</module>
                  </modules>
                </project>
                """);
        write(root, "mvnw", "#!/bin/sh\n");
        write(
                root,
                "README.md",
                "# demo course\n\n| module | what |\n| --- | --- |\n| [`01-demo`](01-demo/README.md) | adding |\n");
        write(root, "common/pom.xml", "<project/>\n");
        write(root, "01-demo/README.md", "# 01 — adding\n\nWrite `YourAdder`.\n");
        write(root, "01-demo/src/main/java/dev/demo/exercise/Adder.java", """
                package dev.demo.exercise;
                public interface Adder {
                    int add(int first, int second);
                }
                """);
        write(root, "01-demo/src/main/java/dev/demo/exercise/YourAdder.java", """
                package dev.demo.exercise;
                public final class YourAdder implements Adder {
                    @Override
                    public int add(int first, int second) {
                        throw new UnsupportedOperationException("not implemented yet: add them");
                    }
                }
                """);
        write(root, "01-demo/src/main/java/dev/demo/solution/ReferenceAdder.java", """
                package dev.demo.solution;
                import dev.demo.exercise.Adder;
                import java.util.List;
                public final class ReferenceAdder implements Adder {
                    @Override
                    public int add(int first, int second) {
                        return List.of(first, second).stream().mapToInt(Integer::intValue).sum();
                    }
                }
                """);
        write(root, "01-demo/src/main/java/dev/demo/Demo.java", """
                package dev.demo;
                import dev.demo.solution.ReferenceAdder;
                public final class Demo {
                    public static void main(String[] args) {
                        System.out.println(new ReferenceAdder().add(1, 2));
                    }
                }
                """);
        write(root, "01-demo/src/test/java/dev/demo/exercise/AdderSpec.java", """
                package dev.demo.exercise;
                import dev.demo.solution.ReferenceAdder;
                @GradedExercise(value = "01 add two numbers", learner = YourAdder.class, reference = ReferenceAdder.class)
                class AdderSpec {
                    void addsTwoNumbers(Adder solution) { Numbers.check(solution); }
                }
                """);
        write(root, "01-demo/src/test/java/dev/demo/exercise/Numbers.java", """
                package dev.demo.exercise;
                final class Numbers { static void check(Adder a) { } }
                """);
        write(root, "01-demo/src/test/java/dev/demo/exercise/AdderGradingTest.java", """
                package dev.demo.exercise;
                import dev.demo.solution.ReferenceAdder;
                class AdderGradingTest { }
                """);
        write(root, "01-demo/src/test/java/dev/demo/exercise/fixtures/AddsTwice.java", """
                package dev.demo.exercise.fixtures;
                import dev.demo.solution.ReferenceAdder;
                public class AddsTwice extends ReferenceAdder { }
                """);
        return root;
    }

    static void append(Path root, String file, String text) throws IOException {
        Path path = root.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static void write(Path root, String file, String text) throws IOException {
        Path path = root.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text);
    }
}
