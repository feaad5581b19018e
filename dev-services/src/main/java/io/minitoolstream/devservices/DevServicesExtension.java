package io.minitoolstream.devservices;

import java.util.Set;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving tests one shared {@link DevServices} for the whole run.
 *
 * <p>{@code @ExtendWith(DevServicesExtension.class)} on a test class; then declare a parameter of
 * type {@link DevServices}, {@link TarantoolServer} or {@link S3Server} on a test method,
 * constructor or {@code @BeforeAll}/{@code @BeforeEach} method. The servers start once, on first
 * use, are kept in the root context store so every class in the run reuses them, and are closed
 * when the run ends. Servers are shared: a test that stops or restarts one must leave it running
 * (as a safety net, each class using the extension starts whatever was left stopped).
 */
public final class DevServicesExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(DevServicesExtension.class);
    private static final Set<Class<?>> RESOLVABLE = Set.of(DevServices.class, TarantoolServer.class, S3Server.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        shared(context).start();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return RESOLVABLE.contains(parameterContext.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        DevServices services = shared(extensionContext);
        Class<?> type = parameterContext.getParameter().getType();
        if (type == TarantoolServer.class) {
            return services.tarantool();
        }
        if (type == S3Server.class) {
            return services.s3();
        }
        return services;
    }

    /** The run's servers, started on first call; the root store closes them at the end of the run. */
    static DevServices shared(ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
        return store.getOrComputeIfAbsent(SharedServices.class,
                key -> new SharedServices(DevServices.startDefault()), SharedServices.class).services;
    }

    /**
     * Store value closed by JUnit when the root context closes: JUnit 5.13+ closes AutoCloseable
     * values (and warns about CloseableResource-only ones), older versions only CloseableResource.
     * JUnit closes it once either way.
     */
    @SuppressWarnings("deprecation")
    private static final class SharedServices implements ExtensionContext.Store.CloseableResource, AutoCloseable {

        private final DevServices services;

        SharedServices(DevServices services) {
            this.services = services;
        }

        @Override
        public void close() {
            services.close();
        }
    }
}
