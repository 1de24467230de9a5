package dev.threadlab.common.runner;

import dev.threadlab.common.runner.Course.Exercise;
import dev.threadlab.common.runner.Course.Module;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Finds the exercise a learner names. An exercise answers to its id ({@code 01.2}, also
 * {@code 1.2}), its class ({@code YourFetchAll}, {@code FetchAll}) and that class in kebab case
 * ({@code fetch-all}); a module ({@code 01}, {@code 1}, {@code basic-threads},
 * {@code 01-basic-threads}) means its first exercise not passed yet (its first, once all have).
 * A unique prefix of three letters or more is enough. Nothing here knows any id: they all come
 * from the specs' titles (and, while a spec keeps its old number, from its hints file's name).
 */
final class Lookup {

    /** A name that fits nothing; the message suggests the closest names and lists the exercises. */
    static final class UnknownName extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnknownName(String message) {
            super(message);
        }
    }

    private Lookup() {}

    /**
     * @throws UnknownName if {@code name} fits no exercise, or several
     * @throws Course.ModuleBeingBuilt if a module it had to read is being rebuilt
     */
    static Exercise exercise(Course course, String name, Predicate<Exercise> passed) {
        Optional<Exercise> byNumber = byNumber(course, name, passed);
        if (byNumber.isPresent()) {
            return byNumber.get();
        }
        List<Exercise> all = course.exercises();
        if (all.isEmpty()) {
            throw new UnknownName("no exercises found under " + course.root() + " (is the course built?)");
        }
        String wanted = Names.squash(name);
        for (Exercise e : all) {
            if (sameId(name, e.id())
                    || aliases(e).stream().anyMatch(a -> Names.squash(a).equals(wanted))) {
                return e;
            }
        }
        for (Exercise e : all) {
            if (sameId(name, hintsId(e))) {
                return e;
            }
        }
        for (Module m : course.modules()) {
            if (sameId(name, m.number())
                    || moduleAliases(m).stream().anyMatch(a -> Names.squash(a).equals(wanted))) {
                return firstOf(course, m, passed, name);
            }
        }
        if (wanted.length() >= 3) {
            List<Exercise> byPrefix = all.stream()
                    .filter(e ->
                            aliases(e).stream().anyMatch(a -> Names.squash(a).startsWith(wanted)))
                    .toList();
            if (byPrefix.size() == 1) {
                return byPrefix.get(0);
            }
            List<Module> modules = course.modules().stream()
                    .filter(m -> Names.squash(m.shortName()).startsWith(wanted))
                    .toList();
            if (byPrefix.isEmpty() && modules.size() == 1) {
                return firstOf(course, modules.get(0), passed, name);
            }
        }
        // Each spelling a learner may have meant, and how a suggestion shows it: with its id.
        Map<String, String> candidates = new LinkedHashMap<>();
        all.forEach(e -> {
            candidates.put(e.id(), e.id() + " (" + e.slug() + ")");
            candidates.put(e.slug(), e.id() + " (" + e.slug() + ")");
        });
        course.modules().forEach(m -> candidates.putIfAbsent(m.shortName(), m.number() + " (" + m.shortName() + ")"));
        List<String> close = Names.suggest(name, new ArrayList<>(candidates.keySet())).stream()
                .map(candidates::get)
                .distinct()
                .toList();
        if (close.isEmpty() && name.strip().matches("\\d{1,2}\\.\\d+")) { // "01.9": the ids of module 01
            String number = name.strip().substring(0, name.strip().indexOf('.'));
            close = all.stream()
                    .filter(e -> sameId(number, e.module().number()))
                    .map(e -> e.id() + " (" + e.slug() + ")")
                    .toList();
        }
        throw new UnknownName("unknown exercise '" + name + "'."
                + (close.isEmpty() ? "" : " Did you mean " + String.join(" or ", close) + "?")
                + "\nThe exercises: " + names(all));
    }

    /**
     * An id ({@code 03.2}) or a module's number ({@code 03}) names its module: only that module's
     * classes are read, so a build of another module in progress does not concern it.
     *
     * @return the exercise, or empty if {@code name} is no number or its module has no such exercise
     *         (then the whole course is searched, for the suggestions)
     */
    private static Optional<Exercise> byNumber(Course course, String name, Predicate<Exercise> passed) {
        String stripped = name.strip();
        if (!stripped.matches("\\d{1,2}(\\.\\d{1,6})?")) {
            return Optional.empty();
        }
        String number = stripped.split("\\.")[0];
        for (Module m : course.modules()) {
            if (!sameId(number, m.number())) {
                continue;
            }
            List<Exercise> ofModule = course.exercises(m);
            for (Exercise e : ofModule) {
                if (sameId(stripped, e.id())) {
                    return Optional.of(e);
                }
            }
            for (Exercise e : ofModule) {
                if (sameId(stripped, hintsId(e))) {
                    return Optional.of(e);
                }
            }
            if (!stripped.contains(".") && !ofModule.isEmpty()) {
                return Optional.of(firstOf(course, m, passed, name));
            }
        }
        return Optional.empty();
    }

    private static Exercise firstOf(Course course, Module m, Predicate<Exercise> passed, String name) {
        List<Exercise> ofModule = course.exercises(m);
        if (ofModule.isEmpty()) {
            throw new UnknownName(
                    "module " + m.name() + " has no exercise (yet). The exercises: " + names(course.exercises()));
        }
        return ofModule.stream().filter(passed.negate()).findFirst().orElse(ofModule.get(0));
    }

    /** @return true if both are ids and their numbers are equal: "1.2" is "01.2" */
    static boolean sameId(String input, String id) {
        String[] a = input.strip().split("\\.", -1);
        String[] b = id.split("\\.", -1);
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (!a[i].matches("\\d{1,6}")
                    || !b[i].matches("\\d{1,6}")
                    || Integer.parseInt(a[i]) != Integer.parseInt(b[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * @return the id its hints file is named for: the id of the exercise's next number while its
     *         spec keeps the old one ("02.3" for a spec still titled "02 …"), so the READMEs'
     *         commands work before and after the renumbering
     */
    static String hintsId(Exercise e) {
        return e.hints().getFileName().toString().replaceFirst("\\.md$", "");
    }

    static List<String> aliases(Exercise e) {
        return List.of(
                e.id(), e.slug(), e.learnerSimpleName(), e.learnerSimpleName().replaceFirst("^Your", ""));
    }

    static List<String> moduleAliases(Module m) {
        return List.of(m.number(), m.name(), m.shortName());
    }

    /** @return "01.1 (start-and-join), 01.2 (fetch-all), …" */
    static String names(List<Exercise> all) {
        return all.stream().map(e -> e.id() + " (" + e.slug() + ")").collect(Collectors.joining(", "));
    }
}
