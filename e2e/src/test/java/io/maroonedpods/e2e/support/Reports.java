package io.maroonedpods.e2e.support;

import io.maroonedpods.api.Names;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a scenario prints and keeps ({@code target/e2e/<class>/report.txt}): the per-pod timeline, and from the API
 * server's audit log the requests of each component, per pod.
 */
public final class Reports {
    private Reports() {}

    public static String write(ControlPlane plane, String title, Installation install) {
        List<AuditLog.Request> requests = AuditLog.read(plane.auditLog());
        Map<String, String> uidByPodName =
                install.timeline().pods().stream().collect(Collectors.toMap(f -> f.name, f -> f.uid, (a, b) -> a));
        String text = "== " + title + " ==\n" + install.timeline().table() + "\n"
                + AuditLog.perPodTable(
                        "provisioner",
                        requests.stream()
                                .filter(AuditLog.byAgent(Names.PROVISIONER_USER_AGENT))
                                .toList(),
                        uidByPodName)
                + AuditLog.perPodTable(
                        "extender",
                        requests.stream()
                                .filter(AuditLog.byAgent(Names.EXTENDER_USER_AGENT))
                                .toList(),
                        uidByPodName);
        System.out.println(text);
        try {
            Files.writeString(
                    plane.dir().resolve("report.txt"), text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text;
    }
}
