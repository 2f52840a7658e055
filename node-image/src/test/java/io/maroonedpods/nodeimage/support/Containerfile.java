package io.maroonedpods.nodeimage.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A Containerfile as a list of instructions (continuation lines joined, comments dropped). */
public record Containerfile(List<Instruction> instructions) {

    public record Instruction(String keyword, String arguments) {
        public List<String> words() {
            return Arrays.asList(arguments.trim().split("\\s+"));
        }
    }

    /** A COPY's options (--chown=..., --from=...), sources and destination. */
    public record Copy(List<String> options, List<String> sources, String destination) {}

    public static Containerfile load(Path file) {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : BootScript.read(file).split("\n")) {
            String stripped = line.strip();
            if (stripped.startsWith("#") || (current.isEmpty() && stripped.isEmpty())) {
                continue;
            }
            if (stripped.endsWith("\\")) {
                current.append(stripped, 0, stripped.length() - 1).append(' ');
                continue;
            }
            current.append(stripped);
            String text = current.toString().strip();
            current.setLength(0);
            int space = text.indexOf(' ');
            instructions.add(new Instruction(
                    text.substring(0, space).toUpperCase(),
                    text.substring(space + 1).strip()));
        }
        return new Containerfile(instructions);
    }

    public List<Instruction> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    /** ARG defaults by name (an ARG without a default maps to ""). */
    public Map<String, String> argDefaults() {
        Map<String, String> args = new LinkedHashMap<>();
        for (Instruction arg : all("ARG")) {
            String[] kv = arg.arguments().split("=", 2);
            args.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        return args;
    }

    public List<Copy> copies() {
        return all("COPY").stream()
                .map(copy -> {
                    List<String> words = copy.words();
                    List<String> options =
                            words.stream().takeWhile(w -> w.startsWith("--")).toList();
                    List<String> paths = words.subList(options.size(), words.size());
                    return new Copy(options, paths.subList(0, paths.size() - 1), paths.getLast());
                })
                .toList();
    }

    /** The RUN instruction whose command contains the text. */
    public String run(String containing) {
        return all("RUN").stream()
                .map(Instruction::arguments)
                .filter(run -> run.contains(containing))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no RUN containing " + containing));
    }

    public Instruction last() {
        return instructions.getLast();
    }
}
