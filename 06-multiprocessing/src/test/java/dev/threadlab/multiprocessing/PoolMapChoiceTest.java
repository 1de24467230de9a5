package dev.threadlab.multiprocessing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.threadlab.common.exercise.NotImplementedYet;
import dev.threadlab.multiprocessing.exercise.YourPoolMap;
import dev.threadlab.multiprocessing.solution.ReferencePoolMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** {@code --solution reference|yours} picks whose Pool.map the demos run, and says what to do while yours is the stub. */
class PoolMapChoiceTest {

    @Test
    void referenceAndYoursCreateTheReferenceAndTheLearnersClass() {
        assertThat(PoolMapChoice.REFERENCE.create()).isInstanceOf(ReferencePoolMap.class);
        assertThat(PoolMapChoice.YOURS.create()).isInstanceOf(YourPoolMap.class);
    }

    @Test
    void theOptionIsSpelledReferenceOrYoursInAnyCase() throws Exception {
        PoolMapChoice.Converter converter = new PoolMapChoice.Converter();

        assertThat(converter.convert("reference")).isEqualTo(PoolMapChoice.REFERENCE);
        assertThat(converter.convert("Yours")).isEqualTo(PoolMapChoice.YOURS);
        assertThat(PoolMapChoice.YOURS).hasToString("yours");
        assertThatThrownBy(() -> converter.convert("mine"))
                .isInstanceOf(TypeConversionException.class)
                .hasMessage("--solution must be reference or yours, was mine");
    }

    @Test
    void whileYoursIsTheStubADemoSaysWhatToDo() {
        NotImplementedYet stub = new NotImplementedYet("in YourPoolMap.map, split the items into chunks");

        assertThat(PoolMapChoice.notWrittenYet(stub))
                .isEqualTo("--solution yours runs exercise/YourPoolMap.java, which is "
                        + "not implemented yet: in YourPoolMap.map, split the items into chunks\n"
                        + "Write it (then grade it: ./threadlab check 06.2), or run this with --solution reference.");
        assertThat(List.of(PoolMapChoice.values()))
                .as("one choice point, two choices")
                .hasSize(2);
    }
}
