package io.maroonedpods.nodeimage.support;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code [keyfile] unmanaged-devices} setting of a NetworkManager configuration, and NetworkManager's matching of an
 * interface name against its {@code interface-name:} specs ({@code *} and {@code ?} as in a shell glob).
 */
public record NetworkManagerConf(List<String> unmanagedDevices) {

    /** Reads the last {@code unmanaged-devices=} of the {@code [keyfile]} section, as NetworkManager does. */
    public static NetworkManagerConf parse(String text) {
        String section = "";
        List<String> specs = List.of();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1);
            } else if (section.equals("keyfile") && line.startsWith("unmanaged-devices=")) {
                specs = Arrays.stream(
                                line.substring("unmanaged-devices=".length()).split("[;,]"))
                        .map(String::strip)
                        .filter(s -> !s.isEmpty())
                        .toList();
            }
        }
        return new NetworkManagerConf(specs);
    }

    public boolean leavesAlone(String interfaceName) {
        return unmanagedDevices.stream()
                .filter(spec -> spec.startsWith("interface-name:"))
                .map(spec -> spec.substring("interface-name:".length()))
                .anyMatch(glob -> Pattern.matches(globToRegex(glob), interfaceName));
    }

    private static String globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return regex.toString();
    }
}
