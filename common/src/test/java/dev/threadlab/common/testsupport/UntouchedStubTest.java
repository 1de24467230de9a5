package dev.threadlab.common.testsupport;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.threadlab.common.testsupport.rulefixture.YourChore;
import dev.threadlab.common.testsupport.rulefixture.YourDriftedChore;
import dev.threadlab.common.testsupport.rulefixture.YourGreeting;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/**
 * {@link UntouchedStub} accepts a stub declared as its interface is, names a stub whose
 * {@code throws} differ, and leaves a stub a learner has worked on alone. The specs below are only
 * read for their {@code @GradedExercise}.
 */
class UntouchedStubTest {

    private static final Path SOURCES = Path.of("src", "test", "java");

    @GradedExercise(value = "00.2 chore", learner = YourChore.class, reference = YourChore.class)
    static class ChoreSpec {}

    @GradedExercise(value = "00.2 chore", learner = YourDriftedChore.class, reference = YourChore.class)
    static class DriftedChoreSpec {}

    @GradedExercise(value = "00.1 greet", learner = YourGreeting.class, reference = YourGreeting.class)
    static class GreetingSpec {}

    @Test
    void aStubThatThrowsWhatItsInterfaceThrowsPasses() {
        assertThatCode(() -> UntouchedStub.assertDeclaresWhatItsInterfaceDeclares(ChoreSpec.class, SOURCES))
                .doesNotThrowAnyException();
    }

    @Test
    void aStubMissingItsInterfacesThrowsFails() {
        assertThatThrownBy(() -> UntouchedStub.assertDeclaresWhatItsInterfaceDeclares(DriftedChoreSpec.class, SOURCES))
                .isInstanceOf(AssertionError.class)
                .hasMessage(
                        "Chore.doIt throws [InterruptedException], but YourDriftedChore's stub declares []: give the"
                                + " stub the interface's signature");
    }

    @Test
    void aStubALearnerHasWorkedOnIsNotChecked() {
        assertThatThrownBy(() -> UntouchedStub.assertDeclaresWhatItsInterfaceDeclares(GreetingSpec.class, SOURCES))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("YourGreeting has been worked on");
    }
}
