package io.maroonedpods.simulator.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.maroonedpods.simulator.report.Timeline.PodTimeline;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code --json} file: the summary's numbers under stable names, then the per-pod timeline. */
public final class SummaryJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SummaryJson() {}

    public static Map<String, Object> document(Summary s) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("ok", s.problems().isEmpty());
        doc.put("pods", s.pods());
        doc.put("bound", s.bound());
        doc.put("givenUp", s.givenUp().size());
        doc.put("givenUpPods", s.givenUp());
        doc.put("vmisCreated", s.vmisCreated());
        doc.put("vmisDeleted", s.vmisDeleted());
        doc.put("duplicateVmis", s.duplicateVmis());
        doc.put("orphans", s.orphans().size());
        doc.put("orphanNames", s.orphans());
        doc.put("tornDown", s.tornDown());
        doc.put("bindP50Seconds", s.bindP50Seconds());
        doc.put("bindP95Seconds", s.bindP95Seconds());
        doc.put("claimedPods", s.claimedPods());
        doc.put("bootedPods", s.bootedPods());
        doc.put("claimedBindP50Seconds", s.claimedBindP50Seconds());
        doc.put("bootedBindP50Seconds", s.bootedBindP50Seconds());
        List<Double> verify = Summary.verifyLatencies(s.timeline());
        doc.put("verifyP50Seconds", Summary.percentile(verify, 50));
        doc.put("verifyP99Seconds", Summary.percentile(verify, 99));
        doc.put("failedSchedulingEvents", s.failedSchedulingEvents());
        doc.put("failedSchedulingReasons", s.failedSchedulingReasons());
        doc.put("isolationViolations", s.isolationViolations());
        doc.put("tokenLeaks", s.tokenLeaks());
        doc.put("disruptions", s.disruptions());
        doc.put("bootProblems", s.bootProblems());
        doc.put("allVmisCreatedSeconds", Summary.allReached(s.timeline(), Timeline.PodTimeline::vmiCreated));
        doc.put("allBoundSeconds", Summary.allReached(s.timeline(), Timeline.PodTimeline::bound));
        doc.put("apiFaultsInjected", s.apiFaultsInjected());
        doc.put("watchesDropped", s.watchesDropped());
        doc.put("componentApiRequests", s.componentApiRequests());
        doc.put("componentApiRequestsPerPod", s.pods() == 0 ? 0 : (double) s.componentApiRequests() / s.pods());
        doc.put("ordinaryPods", s.ordinaryPods());
        doc.put("ordinaryBound", s.ordinaryBound());
        doc.put("workers", s.workers());
        doc.put("schedulerProfile", s.schedulerProfile());
        doc.put("wallSeconds", s.wallSeconds());
        doc.put("heapUsedAfterBurstMb", s.heapUsedAfterBurstMb());
        doc.put("problems", s.problems());
        List<Map<String, Object>> timeline =
                s.timeline().stream().map(SummaryJson::pod).toList();
        doc.put("timeline", timeline);
        return doc;
    }

    public static void write(Summary s, Path file) throws IOException {
        JSON.writeValue(file.toFile(), document(s));
    }

    private static Map<String, Object> pod(PodTimeline t) {
        Map<String, Object> pod = new LinkedHashMap<>();
        pod.put("namespace", t.namespace());
        pod.put("name", t.name());
        pod.put("uid", t.uid());
        pod.put("createdSeconds", t.created());
        pod.put("vmiCreatedSeconds", t.vmiCreated());
        pod.put("nodeRegisteredSeconds", t.nodeRegistered());
        pod.put("nodeVerifiedSeconds", t.nodeVerified());
        pod.put("boundSeconds", t.bound());
        pod.put("node", t.node());
        return pod;
    }
}
