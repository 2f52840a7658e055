package io.maroonedpods.provisioner.edit;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.Supplier;

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
        for (int attempt = 1; ; attempt++) {
            try {
                return readVerifyWrite.get();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }
}
