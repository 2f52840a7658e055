package io.maroonedpods.extender.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import io.maroonedpods.extender.filter.NameHash;
import java.util.LinkedHashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NameFilterTest {

    @Test
    void holdsEveryNameItTookThroughRebuildsAndRarelyAnyOther() {
        Set<String> cached = new LinkedHashSet<>();
        NameFilter filter = NameFilter.sizedFor(0);
        NameFilter first = filter;
        for (int i = 0; i < 20_000; i++) {
            String name = "maroon-" + i;
            filter = filter.with(name, cached);
            cached.add(name);
        }
        assertThat(filter).as("rebuilt once the first filter was full").isNotSameAs(first);
        for (String name : cached) {
            assertThat(filter.mightContain(NameHash.of(name))).as(name).isTrue();
        }
        int falseAlarms = 0;
        for (int i = 0; i < 20_000; i++) {
            falseAlarms += filter.mightContain(NameHash.of("worker-" + i)) ? 1 : 0;
        }
        assertThat(falseAlarms).as("false alarms among 20,000 other names").isLessThan(200);
    }

    @Test
    void aRebuildKeepsOnlyTheNamesStillCached() {
        NameFilter first = NameFilter.sizedFor(0);
        NameFilter filter = first;
        int added = 0;
        while (filter == first) {
            filter = filter.with("old-" + added++, Set.of()); // each node gone again at once: nothing cached
        }
        assertThat(added).as("names taken before the first rebuild").isGreaterThan(1000);
        assertThat(filter.mightContain(NameHash.of("old-" + (added - 1))))
                .as("the name being added")
                .isTrue();
        int stale = 0;
        for (int i = 0; i < added - 1; i++) {
            stale += filter.mightContain(NameHash.of("old-" + i)) ? 1 : 0;
        }
        assertThat(stale).as("names of nodes gone before the rebuild").isLessThan(added / 100);
    }
}
