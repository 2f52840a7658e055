package io.maroonedpods.simulator.scheduler;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/** The text files under a classpath folder, whether the classes are a directory (tests) or the jar (the CLI). */
final class ClasspathManifests {
    private ClasspathManifests() {}

    /** Relative name → content, sorted by name; empty when the folder is not on the classpath. */
    static Map<String, String> read(String folder) {
        Map<String, String> files = new TreeMap<>();
        URL url = ClasspathManifests.class.getClassLoader().getResource(folder + "/");
        if (url == null) {
            return files;
        }
        try {
            if ("jar".equals(url.getProtocol())) {
                JarFile jar = ((JarURLConnection) url.openConnection()).getJarFile();
                for (JarEntry entry : jar.stream().toList()) {
                    if (!entry.isDirectory() && entry.getName().startsWith(folder + "/")) {
                        try (InputStream in = jar.getInputStream(entry)) {
                            files.put(
                                    entry.getName().substring(folder.length() + 1),
                                    new String(in.readAllBytes(), StandardCharsets.UTF_8));
                        }
                    }
                }
            } else {
                Path root = Path.of(url.toURI());
                try (Stream<Path> paths = Files.walk(root)) {
                    for (Path path : paths.filter(Files::isRegularFile).toList()) {
                        files.put(root.relativize(path).toString(), Files.readString(path));
                    }
                }
            }
        } catch (IOException | URISyntaxException e) {
            // An unreadable folder counts as an absent one: the caller falls back and says so.
        }
        return files;
    }
}
