package dev.threadlab.common.runner;

import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads one module's classes, for the runner to read their annotations: the module's own classes
 * (the learner's freshly compiled ones first) from this loader, everything the runner has too
 * (the JDK, picocli, JUnit, common) from the runner's, so that an annotation is the runner's own
 * type; a library only the module uses (JMH, Lincheck) from the module's class path.
 */
public final class ModuleLoader extends URLClassLoader {

    static {
        registerAsParallelCapable();
    }

    ModuleLoader(String module, List<Path> folders, ClassLoader parent) {
        super("threadlab-" + module, urls(folders), parent);
    }

    private static URL[] urls(List<Path> folders) {
        return folders.stream()
                .map(folder -> {
                    try {
                        return folder.toUri().toURL();
                    } catch (MalformedURLException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .toArray(URL[]::new);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!ownable(name)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                try {
                    loaded = findClass(name); // the module's own class, from this loader, first
                } catch (ClassNotFoundException notHere) {
                    loaded = super.loadClass(name, false);
                }
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    /** Only a module's own classes are taken child-first; the platform and the shared kit never. */
    private static boolean ownable(String name) {
        return name.startsWith("dev.threadlab.") && !name.startsWith("dev.threadlab.common.");
    }
}
