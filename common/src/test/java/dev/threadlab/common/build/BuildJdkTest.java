package dev.threadlab.common.build;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The build found a JDK 21+ by itself ({@code ./mvnw} sources {@code .mvn/find-jdk}), whatever the
 * machine's default {@code java} is: these tests run on it. On this machine the default is Java 17.
 */
class BuildJdkTest {

    @Test
    void testsRunOnTheJdk21OrNewerThatTheWrapperFound() {
        Runtime.Version version = Runtime.version();
        System.out.println("tests run on Java " + version + " from " + System.getProperty("java.home"));

        assertThat(version.feature())
                .as("the JDK running the tests (%s)", System.getProperty("java.home"))
                .isGreaterThanOrEqualTo(21);
    }

    @Test
    void classesAreCompiledForTheCoursesLanguageLevelJava21() throws Exception {
        try (var in = BuildJdkTest.class.getResourceAsStream("BuildJdkTest.class")) {
            byte[] header = in.readNBytes(8);
            int major = ((header[6] & 0xff) << 8) | (header[7] & 0xff);
            assertThat(major).as("class file major version (65 = Java 21)").isEqualTo(65);
        }
    }
}
