/**
 * The demos' shared command-line options (picocli mixins): {@code --interval-us} and the
 * course-wide {@code --solution reference|yours}, and {@link dev.threadlab.gil.cli.HandOffChoice},
 * the one main class allowed to name the {@code solution} package.
 */
package dev.threadlab.gil.cli;
