package dev.threadlab.multiprocessing;

import dev.threadlab.common.exercise.NotImplementedYet;
import dev.threadlab.multiprocessing.exercise.PoolMap;
import dev.threadlab.multiprocessing.exercise.YourPoolMap;
import dev.threadlab.multiprocessing.solution.ReferencePoolMap;
import java.util.Locale;
import java.util.function.Supplier;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Whose {@code Pool.map} a demo or the benchmark runs: the course-wide option
 * {@code --solution reference|yours} (default {@code reference}). The module's one way from main
 * code to the {@code solution} package: everything else takes a {@link PoolMap} and never names
 * the reference.
 *
 * <pre>{@code
 * @Option(names = "--solution", defaultValue = "reference", converter = PoolMapChoice.Converter.class, ...)
 * private PoolMapChoice solution;
 * ...
 * try (ProcessPool pool = ProcessPool.start(2, solution.create())) { ... }
 * }</pre>
 */
public enum PoolMapChoice {
    /** The course's, {@link ReferencePoolMap}. */
    REFERENCE(ReferencePoolMap::new),
    /** Exercise 06.2, {@link YourPoolMap}: watch your own {@code map} run on worker JVMs. */
    YOURS(YourPoolMap::new);

    /** The option's help text, the same in every demo. */
    public static final String DESCRIPTION =
            "whose Pool.map runs: reference or yours (exercise/YourPoolMap.java), " + "default ${DEFAULT-VALUE}";

    private final Supplier<PoolMap> factory;

    PoolMapChoice(Supplier<PoolMap> factory) {
        this.factory = factory;
    }

    /** @return a new {@code PoolMap} of this choice */
    public PoolMap create() {
        return factory.get();
    }

    /** @return the spelling on the command line: {@code reference} or {@code yours} */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * What a demo prints when {@code --solution yours} meets the untouched stub.
     *
     * @param stub what {@code YourPoolMap} threw
     */
    public static String notWrittenYet(NotImplementedYet stub) {
        return "--solution yours runs exercise/YourPoolMap.java, which is " + stub.getMessage()
                + "\nWrite it (then grade it: ./threadlab check 06.2), or run this with --solution reference.";
    }

    /** Reads {@code reference} or {@code yours} (any case) for picocli. */
    public static final class Converter implements ITypeConverter<PoolMapChoice> {
        @Override
        public PoolMapChoice convert(String value) {
            for (PoolMapChoice choice : values()) {
                if (choice.toString().equalsIgnoreCase(value.trim())) {
                    return choice;
                }
            }
            throw new TypeConversionException("--solution must be reference or yours, was " + value);
        }
    }
}
