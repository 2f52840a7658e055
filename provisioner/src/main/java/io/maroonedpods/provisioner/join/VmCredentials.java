package io.maroonedpods.provisioner.join;

import io.maroonedpods.api.k3s.BootstrapToken;
import io.maroonedpods.api.k3s.K3sToken;
import io.maroonedpods.api.k3s.NodePasswordHash;
import java.util.random.RandomGenerator;

/**
 * What one VM joins with, and nothing any other VM knows: a bootstrap token of its own (which k3s accepts as an agent's
 * join token) and a node password (whose hash k3s checks every registration of the VM's node name against).
 *
 * @param passwordHash the node password in k3s's hash format, for {@code kube-system/<node>.node-password.k3s}
 */
public record VmCredentials(BootstrapToken token, String nodePassword, String passwordHash) {

    /** Fresh credentials; {@code random} must be a SecureRandom. */
    public static VmCredentials mint(RandomGenerator random) {
        String password = NodePasswordHash.newPassword(random);
        return new VmCredentials(
                BootstrapToken.random(random),
                password,
                NodePasswordHash.create(password, random, NodePasswordHash.PROVISIONER));
    }

    /** The same credentials under another token id: a VM's token made again under the id its VMI already names. */
    public VmCredentials withTokenId(String id) {
        return new VmCredentials(new BootstrapToken(id, token.secret()), nodePassword, passwordHash);
    }

    /** The token for the VM's join info: {@code K10<ca-hash>::<id>.<secret>}. */
    public String joinToken(JoinPin pin) {
        return K3sToken.format(pin.caHash(), token);
    }

    /** Never shows a credential. */
    @Override
    public String toString() {
        return "VmCredentials[token id " + token.id() + "]";
    }
}
