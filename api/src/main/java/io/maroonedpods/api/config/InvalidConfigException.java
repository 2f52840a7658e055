package io.maroonedpods.api.config;

import java.util.List;

/** A configuration that cannot be used; the message names every invalid field. */
public class InvalidConfigException extends IllegalArgumentException {
    private final List<String> problems;

    public InvalidConfigException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
