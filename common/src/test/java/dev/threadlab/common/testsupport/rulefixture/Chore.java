package dev.threadlab.common.testsupport.rulefixture;

/** A two-method exercise for {@code UntouchedStubTest}: one method throws a checked exception. */
public interface Chore {
    void doIt() throws InterruptedException;

    int done();
}
