package io.maroonedpods.api.config;

/**
 * What an OCI image reference pins: {@code registry:5000/repo/name:tag}, {@code name@sha256:...}, or nothing
 * ({@code name}, which means {@code :latest}). Only the parts a pull decision depends on; not a full grammar check.
 */
record ImageReference(String tag, String digest) {

    static ImageReference parse(String reference) {
        int at = reference.indexOf('@');
        String digest = at < 0 ? null : reference.substring(at + 1);
        String name = at < 0 ? reference : reference.substring(0, at);
        // A colon before the last slash is a registry port, not a tag.
        int colon = name.lastIndexOf(':');
        String tag = colon > name.lastIndexOf('/') ? name.substring(colon + 1) : null;
        return new ImageReference(tag, digest);
    }

    /** A reference that names one build: a digest, or a tag other than {@code latest}. */
    boolean isFixed() {
        return digest != null || (tag != null && !tag.isEmpty() && !tag.equals("latest"));
    }
}
