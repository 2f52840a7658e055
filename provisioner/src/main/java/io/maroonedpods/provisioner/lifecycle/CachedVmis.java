package io.maroonedpods.provisioner.lifecycle;

import java.util.Set;

/**
 * The VMIs in the informer cache, by name: all of them, and those still booting (their node not verified yet).
 *
 * @param all     every VMI the cache holds
 * @param booting the ones that hold a boot slot
 */
public record CachedVmis(Set<String> all, Set<String> booting) {
    public CachedVmis {
        all = Set.copyOf(all);
        booting = Set.copyOf(booting);
    }

    public static CachedVmis booting(Set<String> booting) {
        return new CachedVmis(booting, booting);
    }
}
