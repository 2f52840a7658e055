package io.maroonedpods.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The cloud-init user data of a VM node: a {@code #cloud-config} whose only job is to write the join info to
 * {@link Names#JOIN_INFO_PATH} with mode 0600. The content is base64-encoded so no value can break the YAML.
 */
public final class Userdata {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Userdata() {}

    /** The {@code #cloud-config} document for this join info. */
    public static String render(JoinInfo join) {
        String content = Base64.getEncoder().encodeToString(join.render().getBytes(StandardCharsets.UTF_8));
        return """
                #cloud-config
                # MaroonedPods node: the join info for marooned-node-boot.service
                write_files:
                  - path: %s
                    owner: root:root
                    permissions: '0600'
                    encoding: b64
                    content: %s
                """.formatted(Names.JOIN_INFO_PATH, content);
    }

    /**
     * What cloud-init would write to {@link Names#JOIN_INFO_PATH} from this user data: the decoded file content.
     *
     * @throws IllegalArgumentException when the document is not a cloud-config that writes the join info
     */
    public static String joinInfoFile(String userdata) {
        if (userdata == null || !userdata.startsWith("#cloud-config")) {
            throw new IllegalArgumentException("user data is not a #cloud-config document");
        }
        JsonNode root;
        try {
            root = YAML.readTree(userdata);
        } catch (IOException e) {
            throw new IllegalArgumentException("user data is not valid YAML: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        for (JsonNode file : root.path("write_files")) {
            if (Names.JOIN_INFO_PATH.equals(file.path("path").asText())) {
                String content = file.path("content").asText();
                return "b64".equals(file.path("encoding").asText())
                        ? new String(Base64.getMimeDecoder().decode(content), StandardCharsets.UTF_8)
                        : content;
            }
        }
        throw new IllegalArgumentException("user data writes no " + Names.JOIN_INFO_PATH);
    }
}
