package io.maroonedpods.nodeimage;

import static org.assertj.core.api.Assertions.assertThat;

import io.maroonedpods.nodeimage.support.BootScript;
import io.maroonedpods.nodeimage.support.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The VM's own credentials inside the guest: the node password goes where the k3s agent reads it, and once the agent
 * has joined (the kubelet holds its client certificate) the copies it no longer needs are removed, while what k3s-agent
 * needs to start again stays.
 */
class JoinCredentialFilesTest {
    static final String PASSWORD = BootScriptTest.NODE_PASSWORD;

    @TempDir
    Path dir;

    BootScript vm;

    @BeforeEach
    void setUp() {
        vm = new BootScript(dir);
    }

    @Test
    void theNodePasswordGoesWhereTheK3sAgentReadsItAndIsNeverPrinted() throws IOException {
        Shell.Result result = vm.writeJoinInfo(BootScriptTest.dedicated()).run();

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(Files.readString(vm.nodePasswordFile)).isEqualTo(PASSWORD + "\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(vm.nodePasswordFile)))
                .isEqualTo("rw-------");
        assertThat(result.stdout()).contains("node password: changed");
        assertThat(result.output() + vm.k3sConfigText()).doesNotContain(PASSWORD);
    }

    @Test
    void aJoinInfoWithoutAUsableNodePasswordIsRefusedAndWritesNothing() {
        String without = BootScriptTest.dedicated().replaceFirst("node_password.*\n", "");
        Shell.Result missing = vm.writeJoinInfo(without).run();
        assertThat(missing.exitCode()).isEqualTo(18);
        assertThat(missing.stderr()).contains("node_password: missing");

        Shell.Result blanks = vm.writeJoinInfo(BootScriptTest.dedicated().replace(PASSWORD, "has blanks in it 0123"))
                .run();
        assertThat(blanks.exitCode()).isEqualTo(18);
        assertThat(blanks.stderr())
                .contains("node_password: must be 16 to 128 printable characters without blanks")
                .doesNotContain("has blanks");
        assertThat(vm.k3sConfig).doesNotExist();
        assertThat(vm.nodePasswordFile).doesNotExist();
    }

    @Test
    void onceTheAgentHasJoinedTheCopiesOfItsCredentialsAreRemovedAndWhatItNeedsToRestartStays() throws IOException {
        assertThat(vm.writeJoinInfo(BootScriptTest.dedicated()).run().exitCode())
                .isZero();
        vm.cloudInitKeptTheUserdata("#cloud-config\n# the userdata, with the join info in it\n");
        String config = vm.k3sConfigText();

        Shell.Result early = vm.runCleanup();
        assertThat(early.exitCode()).as("not joined yet").isEqualTo(30);
        assertThat(vm.joinInfo).exists();

        Shell.Result cleanup = vm.agentJoined().runCleanup();

        assertThat(cleanup.exitCode()).as(cleanup.output()).isZero();
        assertThat(vm.joinInfo).doesNotExist();
        assertThat(vm.cloudDir.resolve("instances/iid-maroon/user-data.txt")).doesNotExist();
        assertThat(vm.cloudDir.resolve("instances/iid-maroon/user-data.txt.i")).doesNotExist();
        assertThat(vm.cloudDir.resolve("instances/iid-maroon/cloud-config.txt")).doesNotExist();
        assertThat(vm.cloudDir.resolve("instances/iid-maroon/obj.pkl")).doesNotExist();
        assertThat(cleanup.stdout()).contains("removed " + vm.joinInfo);
        assertThat(Files.readString(vm.nodePasswordFile))
                .as("sent with every certificate request")
                .isEqualTo(PASSWORD + "\n");
        assertThat(Files.readString(vm.tokenFile))
                .as("parsed at every start for its CA hash; revoked by now")
                .isEqualTo(BootScriptTest.TOKEN);
        assertThat(vm.k3sConfigText()).isEqualTo(config);
        assertThat(vm.runCleanup().stdout()).contains("no join credentials left to remove");
    }

    @Test
    void aRebootAfterJoiningKeepsTheAgentsConfigWithoutTheJoinInfo() {
        assertThat(vm.writeJoinInfo(BootScriptTest.dedicated()).run().exitCode())
                .isZero();
        assertThat(vm.agentJoined().runCleanup().exitCode()).isZero();
        String config = vm.k3sConfigText();

        Shell.Result reboot = vm.run();

        assertThat(reboot.exitCode()).as(reboot.output()).isZero();
        assertThat(reboot.stdout()).contains("node joined before");
        assertThat(vm.k3sConfigText()).isEqualTo(config);
    }
}
