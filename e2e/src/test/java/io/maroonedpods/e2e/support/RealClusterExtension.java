package io.maroonedpods.e2e.support;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test class its own control plane ({@link ControlPlane}), started before its first test and stopped after
 * its last, in {@code target/e2e/<class>/} (kept afterwards: logs, audit log, kubeconfigs). Without
 * {@value Assets#VARIABLE} every test of the class is skipped with one line saying so.
 */
public final class RealClusterExtension implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(RealClusterExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        Optional<Assets> assets = Assets.fromEnvironment();
        org.junit.jupiter.api.Assumptions.assumeTrue(
                assets.isPresent(),
                () -> "skipped: " + Assets.VARIABLE
                        + " is not set (a directory with etcd, kube-apiserver, kube-controller-manager, kube-scheduler v1.34 and"
                        + " KubeVirt's VMI CRD; see e2e/README.md)");
        Path dir = Repo.root()
                .resolve("e2e/target/e2e")
                .resolve(context.getRequiredTestClass().getSimpleName());
        Repo.deleteRecursively(dir);
        ControlPlane plane = ControlPlane.start(assets.get(), dir);
        context.getStore(NAMESPACE).put(ControlPlane.class, (ExtensionContext.Store.CloseableResource) plane::close);
        context.getStore(NAMESPACE).put("plane", plane);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ControlPlane.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(NAMESPACE).get("plane", ControlPlane.class);
    }
}
