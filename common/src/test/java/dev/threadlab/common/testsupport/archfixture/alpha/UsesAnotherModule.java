package dev.threadlab.common.testsupport.archfixture.alpha;

import dev.threadlab.common.testsupport.archfixture.beta.BetaGreeter;

/** Fixture for CourseRulesTest: breaks "modules do not depend on each other" on purpose. */
public final class UsesAnotherModule {
    /** @return what the other module says */
    public String borrow() {
        return BetaGreeter.greet();
    }
}
