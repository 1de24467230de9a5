package dev.threadlab.common.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WordsTest {

    @Test
    void aCountAgreesWithItsNounAndVerb() {
        assertThat("only 1 of the " + Words.of(3, "task") + " " + Words.was(1) + " running")
                .isEqualTo("only 1 of the 3 tasks was running");
        assertThat(Words.of(2, "nap") + " " + Words.was(2)).isEqualTo("2 naps were");
        assertThat(Words.of(0, "request")).isEqualTo("0 requests");
        assertThat(Words.of(1, "child", "children")).isEqualTo("1 child");
    }
}
