package io.maroonedpods.testcluster.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class AdmissionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ResourcePath PODS = new ResourcePath("", "v1", "pods", "tenant", null, null);

    private static ObjectNode pod(String tolerations) throws Exception {
        return (ObjectNode)
                JSON.readTree("{\"metadata\":{\"name\":\"p\"},\"spec\":{\"tolerations\":" + tolerations + "}}");
    }

    @Test
    void everyPodToleratesTheNotReadyAndUnreachableNoExecuteTaintsFor300Seconds() throws Exception {
        ObjectNode admitted = Admission.onCreate(PODS, pod("[]"));
        assertThat(admitted.path("spec").path("tolerations").toString())
                .isEqualTo(
                        "["
                                + "{\"key\":\"node.kubernetes.io/not-ready\",\"operator\":\"Exists\",\"effect\":\"NoExecute\",\"tolerationSeconds\":300},"
                                + "{\"key\":\"node.kubernetes.io/unreachable\",\"operator\":\"Exists\",\"effect\":\"NoExecute\",\"tolerationSeconds\":300}]");
    }

    @Test
    void aPodThatToleratesEverythingIsLeftAsItIs() throws Exception {
        ObjectNode pod = pod("[{\"operator\":\"Exists\"}]");
        assertThat(Admission.onCreate(PODS, pod)).isEqualTo(pod);
    }

    @Test
    void otherResourcesAreNotTouched() throws Exception {
        ObjectNode secret = pod("[]");
        assertThat(Admission.onCreate(new ResourcePath("", "v1", "secrets", "tenant", null, null), secret))
                .isSameAs(secret);
    }
}
