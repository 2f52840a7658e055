package io.maroonedpods.provisioner.edit;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Runs a read-verify-write again at once when the write meets a 409 Conflict: the object moved on between our read
 * and our write (a kubelet's status update, the scheduler's condition on a pod), so the step is decided again on the
 * new version. Without this a conflict waited for the operator's retry backoff, a second or more.
 */
public final class OnConflict {
    static final int ATTEMPTS = 4;

    private OnConflict() {
    }

    public static <T> T retry(Supplier<T> readVerifyWrite) {
        return retry(readVerifyWrite, 409);
    }

    /**
     * The same for a write guarded by JSON patch {@code test} operations: the API server refuses it with 422 when a
     * tested value moved on, and with 409 if it also carried a resourceVersion that did.
     */
    public static <T> T retryTested(Supplier<T> readVerifyWrite) {
        return retry(readVerifyWrite, 409, 422);
    }

    private static <T> T retry(Supplier<T> readVerifyWrite, int... movedOn) {
        for (int attempt = 1; ; attempt++) {
            try {
                return readVerifyWrite.get();
            } catch (KubernetesClientException e) {
                if (!IntStream.of(movedOn).anyMatch(code -> code == e.getCode()) || attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }
}
