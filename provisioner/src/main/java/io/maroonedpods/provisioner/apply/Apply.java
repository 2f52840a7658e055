package io.maroonedpods.provisioner.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Deletable;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The one way the provisioner writes: the object as it should be, worked out from the object as it is, becomes a
 * create, a patch, a delete or nothing. {@code desiredFrom} gets a copy of the current object (null when there is
 * none) and returns what should exist (null: nothing; the same content: nothing to write).
 *
 * <p>The conflict policy, in this one place: a write refused because the copy it started from is out of date (409:
 * it exists already, or its resourceVersion moved on; 422 from a patch's guards) is worked out again at once on the
 * object read then, up to {@value #ATTEMPTS} times; then the last refusal is thrown for the caller's retry. A patch
 * carries only the difference, guarded by {@link GuardedPatch}, so other writers' changes elsewhere in the object do
 * not make it a conflict. Deleting what is gone is nothing.
 */
public final class Apply {
    static final int ATTEMPTS = 4;
    private static final ObjectMapper TREES = new ObjectMapper();

    /** What a write did. */
    public enum Outcome {
        CREATED,
        PATCHED,
        DELETED,
        UNCHANGED
    }

    /** How a write is made. */
    public enum Option {
        /** Through the status subresource: the change may touch only the status. */
        STATUS,
        /** Guarded by the copy's resourceVersion as well: the write is a lock that any change in between breaks. */
        VERSION_LOCKED
    }

    /**
     * @param object what the API server returned, the current object when nothing was written, or null when none
     *               exists
     */
    public record Applied<T>(Outcome outcome, T object) {
        public boolean wrote() {
            return outcome != Outcome.UNCHANGED;
        }
    }

    private final KubernetesClient client;
    private final KubernetesSerialization json;

    public Apply(KubernetesClient client) {
        this.client = client;
        this.json = client.getKubernetesSerialization();
    }

    /**
     * @param known the copy at hand (the informer's, or one just read), or null to read the object first
     */
    public <T extends HasMetadata> Applied<T> apply(
            Resource<T> target, T known, UnaryOperator<T> desiredFrom, Option... options) {
        return apply(target, known, known == null, List.of(), desiredFrom, Set.of(options));
    }

    /**
     * Creates {@code desired} without reading first; if it exists already, what {@code ifExists} makes of the object
     * there is written instead (return it unchanged to leave it).
     */
    public <T extends HasMetadata> Applied<T> create(Resource<T> target, T desired, UnaryOperator<T> ifExists) {
        return apply(
                target,
                null,
                false,
                List.of(),
                current -> current == null ? desired : ifExists.apply(current),
                Set.of());
    }

    /** Creates {@code desired} if nothing by its name exists; leaves what exists. */
    public <T extends HasMetadata> Applied<T> createIfAbsent(Resource<T> target, T desired) {
        return create(target, desired, UnaryOperator.identity());
    }

    /**
     * Creates {@code desired} where the provisioner may create and delete but not read (kube-system): with
     * {@code replace}, what is there by its name is deleted and the object created again; without, a 409 is thrown.
     * True when something was replaced.
     */
    public <T extends HasMetadata> boolean createUnread(Resource<T> target, T desired, boolean replace) {
        try {
            target.create(desired);
            return false;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409 || !replace) {
                throw e;
            }
            target.delete();
            target.create(desired);
            return true;
        }
    }

    /** A change to an object that exists (user pods, nodes): nothing when it does not. */
    public <T extends HasMetadata> Applied<T> edit(
            Resource<T> target, T known, UnaryOperator<T> change, Option... options) {
        return edit(target, known, List.of(), change, options);
    }

    /**
     * A change that applies only while {@code held} (JSON pointers, e.g. {@code /metadata/labels}) are still as in the
     * copy it was worked out from: a lock on what the change depends on but need not touch. A claim holds the labels,
     * so of two claims on one VM the second becomes a 422, is worked out again on the object read then, and sees the
     * VM taken (its change then returns the object as it is: nothing is written).
     */
    public <T extends HasMetadata> Applied<T> edit(
            Resource<T> target, T known, List<String> held, UnaryOperator<T> change, Option... options) {
        return apply(
                target,
                known,
                known == null,
                held,
                current -> current == null ? null : change.apply(current),
                Set.of(options));
    }

    /**
     * Desired: nothing. Sent without reading first (by name; {@code target} may carry delete options, e.g. a grace
     * period); true when something was deleted now.
     */
    public boolean delete(Deletable target) {
        return !target.delete().isEmpty();
    }

    /**
     * Desired: not the object {@code known}, which may since have been deleted and another created by its name (by
     * another process: a leader before us). Deleted only while it is still that object (its uid); the delete is locked
     * to the copy's resourceVersion, so a change in between makes it read and decided again. True when deleted now.
     */
    public <T extends HasMetadata> boolean deleteSame(Resource<T> target, T known) {
        String uid = known.getMetadata().getUid();
        return deleteWhile(
                target,
                known,
                false,
                current -> uid.equals(current.getMetadata().getUid()));
    }

    /** Reads the object and deletes it if {@code ours} holds of it, under the same lock as {@link #deleteSame}. */
    public <T extends HasMetadata> boolean deleteIf(Resource<T> target, Predicate<T> ours) {
        return deleteWhile(target, null, true, ours);
    }

    private <T extends HasMetadata> boolean deleteWhile(Resource<T> target, T known, boolean read, Predicate<T> ours) {
        Applied<T> applied = retrying(target, known, read, current -> {
            if (current == null || !ours.test(current)) {
                return new Applied<>(Outcome.UNCHANGED, current);
            }
            try {
                boolean deleted = !client.resource(current)
                        .lockResourceVersion(current.getMetadata().getResourceVersion())
                        .delete()
                        .isEmpty();
                return new Applied<>(deleted ? Outcome.DELETED : Outcome.UNCHANGED, null);
            } catch (KubernetesClientException e) {
                throw StaleCopy.when(e, 409); // changed since the copy, or deleted and created again
            }
        });
        return applied.outcome() == Outcome.DELETED;
    }

    /**
     * A hand-built JSON patch (one whose guards test more than what it changes, e.g. the evidence a node was verified
     * on), worked out from the current object; null: nothing to write. Same conflict policy.
     */
    public <T extends HasMetadata> Applied<T> patch(Resource<T> target, T known, Function<T, String> jsonPatchFrom) {
        return retrying(target, known, known == null, current -> {
            String body = current == null ? null : jsonPatchFrom.apply(current);
            return body == null
                    ? new Applied<>(Outcome.UNCHANGED, current)
                    : send(current, PatchContext.of(PatchType.JSON), body, Set.of());
        });
    }

    private <T extends HasMetadata> Applied<T> apply(
            Resource<T> target,
            T known,
            boolean read,
            List<String> held,
            UnaryOperator<T> desiredFrom,
            Set<Option> options) {
        return retrying(
                target,
                known,
                read,
                current -> write(
                        target,
                        current,
                        desiredFrom.apply(current == null ? null : json.clone(current)),
                        held,
                        options));
    }

    private <T extends HasMetadata> Applied<T> retrying(
            Resource<T> target, T known, boolean read, Function<T, Applied<T>> attempt) {
        T copy = known;
        boolean readFirst = read;
        for (int tries = 1; ; tries++) {
            try {
                return attempt.apply(readFirst ? target.get() : copy);
            } catch (StaleCopy e) {
                if (tries == ATTEMPTS) {
                    throw e.refusal;
                }
                readFirst = true;
            }
        }
    }

    private <T extends HasMetadata> Applied<T> write(
            Resource<T> target, T current, T desired, List<String> held, Set<Option> options) {
        if (desired == null) {
            return current == null
                    ? new Applied<>(Outcome.UNCHANGED, null)
                    : new Applied<>(delete(target) ? Outcome.DELETED : Outcome.UNCHANGED, null);
        }
        if (current == null) {
            try {
                return new Applied<>(Outcome.CREATED, target.create(desired));
            } catch (KubernetesClientException e) {
                throw StaleCopy.when(e, 409); // it exists after all
            }
        }
        GuardedPatch patch = GuardedPatch.between(tree(current), tree(desired), held);
        if (patch.isEmpty()) {
            return new Applied<>(Outcome.UNCHANGED, current);
        }
        return send(
                current,
                PatchContext.of(PatchType.JSON),
                patch.body(current.getMetadata().getResourceVersion(), options.contains(Option.VERSION_LOCKED)),
                options);
    }

    private <T extends HasMetadata> Applied<T> send(T current, PatchContext type, String body, Set<Option> options) {
        // Through the copy (not the named resource), so the client does not read the object once more first.
        var resource = client.resource(current);
        try {
            T written = options.contains(Option.STATUS)
                    ? resource.subresource("status").patch(type, body)
                    : resource.patch(type, body);
            return new Applied<>(Outcome.PATCHED, written);
        } catch (KubernetesClientException e) {
            throw StaleCopy.when(e, 409, 422, 404); // moved on, a guard failed, or gone meanwhile
        }
    }

    /**
     * The object as the API server's JSON has it: through its text, so that a number is the same node type as in any
     * document parsed from text (a guard compares values, and Jackson tells an int node from a long node).
     */
    private JsonNode tree(Object object) {
        try {
            return TREES.readTree(json.asJson(object));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The copy a write started from was out of date: the API server's refusal says so. */
    private static final class StaleCopy extends RuntimeException {
        final transient KubernetesClientException refusal;

        private StaleCopy(KubernetesClientException refusal) {
            super(refusal.getMessage(), null, false, false);
            this.refusal = refusal;
        }

        /** A StaleCopy when the refusal has one of these codes, else the refusal itself. */
        static RuntimeException when(KubernetesClientException refusal, int... codes) {
            for (int code : codes) {
                if (refusal.getCode() == code) {
                    return new StaleCopy(refusal);
                }
            }
            return refusal;
        }
    }
}
