package io.maroonedpods.nodeimage.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A systemd unit file with its drop-ins, read the way systemd reads them: sections of keys whose values accumulate
 * across lines and files (enough for dependency and ordering keys; an empty assignment resets a list).
 */
public final class UnitFile {
    private final String name;
    private final Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();

    private UnitFile(String name) {
        this.name = name;
    }

    public static UnitFile parse(String name, String... texts) {
        UnitFile unit = new UnitFile(name);
        for (String text : texts) {
            unit.read(text);
        }
        return unit;
    }

    /** The unit at {@code file} plus every {@code <name>.d/*.conf} drop-in beside it, in name order. */
    public static UnitFile load(Path file) {
        try {
            List<String> texts = new ArrayList<>();
            texts.add(Files.readString(file, StandardCharsets.UTF_8));
            Path dropInDir = file.resolveSibling(file.getFileName() + ".d");
            if (Files.isDirectory(dropInDir)) {
                try (var dropIns = Files.list(dropInDir)) {
                    for (Path dropIn : dropIns.filter(p -> p.toString().endsWith(".conf"))
                            .sorted()
                            .toList()) {
                        texts.add(Files.readString(dropIn, StandardCharsets.UTF_8));
                    }
                }
            }
            return parse(file.getFileName().toString(), texts.toArray(String[]::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void read(String text) {
        String section = "";
        StringBuilder pending = new StringBuilder();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (pending.isEmpty() && (line.isEmpty() || line.startsWith("#") || line.startsWith(";"))) {
                continue;
            }
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            line = pending.append(line).toString();
            pending.setLength(0);
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1);
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException(name + ": not a key=value line: " + line);
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            List<String> values = sections.computeIfAbsent(section, s -> new LinkedHashMap<>())
                    .computeIfAbsent(key, k -> new ArrayList<>());
            if (value.isEmpty()) {
                values.clear();
            } else {
                values.add(value);
            }
        }
    }

    public String name() {
        return name;
    }

    /** Every value assigned to the key, one per assignment line. */
    public List<String> values(String section, String key) {
        return sections.getOrDefault(section, Map.of()).getOrDefault(key, List.of());
    }

    /** The last value of a single-valued key, or null. */
    public String value(String section, String key) {
        List<String> values = values(section, key);
        return values.isEmpty() ? null : values.getLast();
    }

    /** A list-valued key (After=, Wants=, WantedBy=...): every space-separated word of every assignment. */
    public List<String> list(String section, String key) {
        return values(section, key).stream()
                .flatMap(v -> Arrays.stream(v.split("\\s+")))
                .toList();
    }

    public boolean defaultDependencies() {
        String value = value("Unit", "DefaultDependencies");
        return value == null || !(value.equals("no") || value.equals("false") || value.equals("0"));
    }

    public boolean isTarget() {
        return name.endsWith(".target");
    }
}
