package io.maroonedpods.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TolerationsTest {
    private static final Taint DEDICATED = new Taint("NoSchedule", "maroonedpods.io/dedicated", null, "uid-1");

    @Test
    void anEqualTolerationMatchesKeyValueAndEffect() {
        assertThat(Tolerations.tolerates(
                        new Toleration("NoSchedule", "maroonedpods.io/dedicated", "Equal", null, "uid-1"), DEDICATED))
                .isTrue();
        assertThat(Tolerations.tolerates(
                        new Toleration("NoSchedule", "maroonedpods.io/dedicated", "Equal", null, "uid-2"), DEDICATED))
                .isFalse();
        assertThat(Tolerations.tolerates(
                        new Toleration("NoExecute", "maroonedpods.io/dedicated", "Equal", null, "uid-1"), DEDICATED))
                .isFalse();
    }

    @Test
    void anOmittedOperatorIsEqualAndAnEmptyEffectMatchesEveryEffect() {
        assertThat(Tolerations.tolerates(
                        new Toleration(null, "maroonedpods.io/dedicated", null, null, "uid-1"), DEDICATED))
                .isTrue();
    }

    @Test
    void anExistsTolerationWithoutKeyToleratesEverything() {
        assertThat(Tolerations.tolerates(new Toleration(null, null, "Exists", null, null), DEDICATED))
                .isTrue();
        assertThat(Tolerations.tolerates(new Toleration(null, null, "Equal", null, null), DEDICATED))
                .isFalse();
    }

    @Test
    void onlyTaintsThatKeepPodsOffANodeMustBeTolerated() {
        Taint preferNot = new Taint("PreferNoSchedule", "a", null, "b");
        Taint notReady = new Taint("NoExecute", "node.kubernetes.io/not-ready", null, null);
        assertThat(Tolerations.toleratesAll(List.of(), List.of(preferNot))).isTrue();
        assertThat(Tolerations.toleratesAll(Tolerations.DEFAULT_NO_EXECUTE, List.of(preferNot, notReady)))
                .isTrue();
        assertThat(Tolerations.toleratesAll(Tolerations.DEFAULT_NO_EXECUTE, List.of(notReady, DEDICATED)))
                .isFalse();
    }
}
