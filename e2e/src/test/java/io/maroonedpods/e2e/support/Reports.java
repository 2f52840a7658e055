package io.maroonedpods.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * What a scenario prints and keeps ({@code target/e2e/<class>/report.txt}): the per-pod timeline, and from the API
 * server's audit log the requests of each component, per pod.
 */
public final class Reports {
    private Reports() {
    }

    public static String write(ControlPlane plane, String title, Installation install, int pods) {
        List<AuditLog.Request> requests = AuditLog.read(plane.auditLog());
        String text = "== " + title + " ==\n" + install.timeline().table() + "\n"
                + AuditLog.table("provisioner", requests.stream()
                        .filter(AuditLog.byAgent(io.maroonedpods.api.Names.PROVISIONER_USER_AGENT)).toList(), pods)
                + AuditLog.table("extender", requests.stream()
                        .filter(AuditLog.byAgent(io.maroonedpods.api.Names.EXTENDER_USER_AGENT)).toList(), pods);
        System.out.println(text);
        try {
            Files.writeString(plane.dir().resolve("report.txt"), text, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text;
    }
}
