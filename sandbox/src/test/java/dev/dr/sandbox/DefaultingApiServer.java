package dev.dr.sandbox;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.util.HashMap;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The sandbox's API server for a test, in place of fabric8's plain CRUD mock: the mock server on
 * loopback with {@link DefaultingDispatcher}, so objects come back with the defaults a cluster
 * gives them. Like {@code @EnableKubernetesMockClient}, it sets the test's fields of type
 * {@link KubernetesMockServer} and {@link KubernetesClient} before each test and stops the
 * server after it. Use: {@code @ExtendWith(DefaultingApiServer.class)}.
 */
public final class DefaultingApiServer implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(DefaultingApiServer.class);

    /** A started server; the caller destroys it. */
    public static KubernetesMockServer start() {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new DefaultingDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        return server;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        KubernetesMockServer server = start();
        KubernetesClient client = server.createClient();
        context.getStore(NS).put("server", server);
        context.getStore(NS).put("client", client);
        Object test = context.getRequiredTestInstance();
        for (Class<?> c = test.getClass(); c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getType() == KubernetesMockServer.class || f.getType() == KubernetesClient.class) {
                    f.setAccessible(true);
                    f.set(test, f.getType() == KubernetesMockServer.class ? server : client);
                }
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        KubernetesClient client = context.getStore(NS).remove("client", KubernetesClient.class);
        KubernetesMockServer server = context.getStore(NS).remove("server", KubernetesMockServer.class);
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.destroy();
        }
    }
}
