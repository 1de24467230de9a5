package dev.threadlab.common.instructor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a grading build's log says about each module (lines as Maven 3.9 and javac print them). */
class BuildLogTest {

    private static final String LOG = """
            [ERROR] COMPILATION ERROR :\s
            [ERROR] Picked up JAVA_TOOL_OPTIONS: -Xmx768m
            /work/slot/01-basic-threads/src/main/java/dev/threadlab/basics/exercise/YourStartAndJoin.java:[12,9] error: cannot find symbol
              symbol:   variable thread
              location: class YourStartAndJoin
            [ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.14.1:compile (default-compile) on project 01-basic-threads: Compilation failure
            [ERROR] /work/slot/01-basic-threads/src/main/java/dev/threadlab/basics/exercise/YourStartAndJoin.java:[12,9] error: cannot find symbol
            [ERROR]   symbol:   variable thread
            [ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.5.4:test (default-test) on project 03-locks:\s
            [ERROR]\s
            [ERROR] Please refer to /work/slot/03-locks/target/surefire-reports for the individual test results.
            [ERROR] ExecutionException The forked VM terminated without properly saying goodbye. VM crash or System.exit called?
            """;

    @Test
    void compileErrorsAreListedOnceWithTheirDetailAndPathsInsideTheCopy() {
        BuildLog log = new BuildLog(LOG, "/work/slot");

        assertThat(log.compilationFailed("01-basic-threads")).isTrue();
        assertThat(log.compileErrors("01-basic-threads")).containsExactly("""
                01-basic-threads/src/main/java/dev/threadlab/basics/exercise/YourStartAndJoin.java:12: error: cannot find symbol
                  symbol:   variable thread
                  location: class YourStartAndJoin""");
        assertThat(log.compilationFailed("03-locks")).isFalse();
    }

    @Test
    void aTestJvmThatExitedIsToldFromTheSurefireFailure() {
        BuildLog log = new BuildLog(LOG, "/work/slot");

        assertThat(log.testJvmStopped("03-locks")).isTrue();
        assertThat(log.testJvmStopped("01-basic-threads")).isFalse();
        assertThat(log.failedGoals("03-locks").get(0).message()).doesNotContain("/work/slot/");
    }
}
