package io.maroonedpods.nodeimage.support;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The ordering systemd derives for a boot transaction, modelled after systemd's own rules, to find ordering cycles
 * without a running systemd: After=/Before= between units in the transaction, the units pulled in by Wants=/Requires=
 * (and [Install] links of enabled units), and the implicit {@code After=} a target gets on every unit it pulls in,
 * unless either side has DefaultDependencies=no or the unit is already ordered after the target (systemd's
 * "don't create loops" rule in unit_add_default_target_dependency).
 */
public final class Ordering {
    private static final List<String> PULLS = List.of("Wants", "Requires", "Requisite", "BindsTo");

    private final Map<String, UnitFile> units = new LinkedHashMap<>();
    /** target -> units linked into its .wants directory (enabled units, generator links). */
    private final Map<String, Set<String>> links = new HashMap<>();

    public Ordering add(UnitFile unit) {
        units.put(unit.name(), unit);
        return this;
    }

    /** Like {@code systemctl enable}: links the unit into every target of its [Install] WantedBy=/RequiredBy=. */
    public Ordering enable(String unit) {
        UnitFile file = require(unit);
        List<String> targets = new ArrayList<>(file.list("Install", "WantedBy"));
        targets.addAll(file.list("Install", "RequiredBy"));
        targets.forEach(target -> link(target, unit));
        return this;
    }

    /** A plain {@code <target>.wants/<unit>} link, as a generator or a Containerfile's {@code ln -s} makes. */
    public Ordering link(String target, String unit) {
        links.computeIfAbsent(target, t -> new LinkedHashSet<>()).add(unit);
        return this;
    }

    /** The first ordering cycle among the units a start of {@code unit} pulls in, as a path a -> b -> ... -> a. */
    public Optional<List<String>> cycleWhenStarting(String unit) {
        Set<String> transaction = pulledIn(unit);
        Map<String, Set<String>> after = afterEdges(transaction);
        Map<String, Integer> state = new HashMap<>();
        for (String start : transaction) {
            Deque<String> path = new ArrayDeque<>();
            Optional<List<String>> cycle = dfs(start, after, state, path);
            if (cycle.isPresent()) {
                return cycle;
            }
        }
        return Optional.empty();
    }

    /** Whether {@code later} is ordered after {@code earlier}, directly or through other units, when starting unit. */
    public boolean orderedAfter(String start, String later, String earlier) {
        Map<String, Set<String>> after = afterEdges(pulledIn(start));
        Deque<String> todo = new ArrayDeque<>(List.of(later));
        Set<String> seen = new LinkedHashSet<>();
        while (!todo.isEmpty()) {
            String unit = todo.pop();
            if (seen.add(unit)) {
                for (String dep : after.getOrDefault(unit, Set.of())) {
                    if (dep.equals(earlier)) {
                        return true;
                    }
                    todo.push(dep);
                }
            }
        }
        return false;
    }

    public Set<String> pulledIn(String unit) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(unit));
        while (!todo.isEmpty()) {
            String next = todo.pop();
            if (seen.add(next)) {
                todo.addAll(pulls(next));
            }
        }
        return seen;
    }

    private Set<String> pulls(String unit) {
        Set<String> pulled = new LinkedHashSet<>(links.getOrDefault(unit, Set.of()));
        UnitFile file = units.get(unit);
        if (file != null) {
            PULLS.forEach(key -> pulled.addAll(file.list("Unit", key)));
        }
        return pulled;
    }

    /** unit -> the units it starts after, within the transaction. */
    private Map<String, Set<String>> afterEdges(Set<String> transaction) {
        Map<String, Set<String>> after = new HashMap<>();
        for (String name : transaction) {
            UnitFile unit = units.get(name);
            if (unit == null) {
                continue;
            }
            unit.list("Unit", "After").forEach(dep -> edge(after, transaction, name, dep));
            unit.list("Unit", "Before").forEach(dep -> edge(after, transaction, dep, name));
        }
        for (String name : transaction) {
            UnitFile target = units.get(name);
            if (target == null || !target.isTarget() || !target.defaultDependencies()) {
                continue;
            }
            for (String pulled : pulls(name)) {
                UnitFile unit = units.get(pulled);
                boolean unitAlreadyAfterTarget =
                        after.getOrDefault(pulled, Set.of()).contains(name);
                if (unit != null && unit.defaultDependencies() && !unitAlreadyAfterTarget) {
                    edge(after, transaction, name, pulled);
                }
            }
        }
        return after;
    }

    private static void edge(Map<String, Set<String>> after, Set<String> transaction, String later, String earlier) {
        if (transaction.contains(later) && transaction.contains(earlier)) {
            after.computeIfAbsent(later, k -> new LinkedHashSet<>()).add(earlier);
        }
    }

    private static Optional<List<String>> dfs(
            String unit, Map<String, Set<String>> after, Map<String, Integer> state, Deque<String> path) {
        Integer seen = state.get(unit);
        if (seen != null && seen == 2) {
            return Optional.empty();
        }
        path.addLast(unit);
        if (seen != null && seen == 1) {
            List<String> cycle = new ArrayList<>(path);
            return Optional.of(cycle.subList(cycle.indexOf(unit), cycle.size()));
        }
        state.put(unit, 1);
        for (String dep : after.getOrDefault(unit, Set.of())) {
            Optional<List<String>> cycle = dfs(dep, after, state, path);
            if (cycle.isPresent()) {
                return cycle;
            }
        }
        state.put(unit, 2);
        path.removeLast();
        return Optional.empty();
    }

    private UnitFile require(String unit) {
        UnitFile file = units.get(unit);
        if (file == null) {
            throw new IllegalArgumentException("unknown unit " + unit);
        }
        return file;
    }
}
