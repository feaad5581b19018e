package io.minitoolstream.examples;

import java.util.Collection;
import java.util.List;

import io.grpc.netty.NegotiationType;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.grpc.GrpcEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The YAML routes load, and their endpoints and beans resolve, in a plain CamelContext (no servers needed). */
@Tag("fast")
class YamlRoutesTest {

    @Test
    void everyRouteLoadsAndResolves() throws Exception {
        CamelContext context = new DefaultCamelContext();
        try {
            context.getPropertiesComponent().setLocation("classpath:application.properties");
            new ExamplesConfiguration().configure(context);
            Collection<Resource> resources = PluginHelper.getPackageScanResourceResolver(context)
                    .findResources("routes/*.camel.yaml");
            assertThat(resources).hasSize(4);
            PluginHelper.getRoutesLoader(context).loadRoutes(resources);

            // Creates every route, endpoint and processor (bean references, options) without starting consumers.
            context.setAutoStartup(false);
            context.start();

            assertThat(context.getRoutes()).extracting(Route::getRouteId).containsExactlyInAnyOrder(
                    "ingress-publish", "egress", "last-sequence", "cleaner", "clean", "file-drop-in",
                    "file-drop-out");
            GrpcEndpoint egress = (GrpcEndpoint) context.getRoute("egress").getEndpoint();
            assertThat(egress.getConfiguration().isRouteControlledStreamObserver()).isTrue();
            assertThat(egress.getConfiguration().getPort()).isEqualTo(50052);
            GrpcEndpoint ingress = (GrpcEndpoint) context.getRoute("ingress-publish").getEndpoint();
            assertThat(ingress.getConfiguration().getPort()).isEqualTo(50051);
            assertThat(ingress.getConfiguration().getHost()).isEqualTo("127.0.0.1");
            // Plaintext, and no interceptor but the message-id one unless minitoolstream.grpc.negotiation-type /
            // minitoolstream.auth.enabled.
            for (GrpcEndpoint endpoint : List.of(ingress, egress)) {
                assertThat(endpoint.getConfiguration().getNegotiationType()).isEqualTo(NegotiationType.PLAINTEXT);
                assertThat(endpoint.getConfiguration().isAutoDiscoverServerInterceptors()).isTrue();
                assertThat(endpoint.getConfiguration().getServerInterceptors()).singleElement()
                        .isInstanceOf(io.minitoolstream.examples.grpc.MessageIdInterceptor.class);
            }
            assertThat(List.of("egress", "ingress-publish"))
                    .allMatch(id -> !context.getRouteController().getRouteStatus(id).isStarted());
        } finally {
            context.stop();
        }
    }

    /** minitoolstream.files.enabled=false: the file drop routes are there but do not start; the others do. */
    @Test
    void theFileDropRoutesStayStoppedWhenDisabled() throws Exception {
        CamelContext context = new DefaultCamelContext();
        try {
            context.getPropertiesComponent().setLocation("classpath:application.properties");
            java.util.Properties overrides = new java.util.Properties();
            overrides.setProperty(ExamplesConfiguration.FILES_ENABLED, "false");
            context.getPropertiesComponent().setOverrideProperties(overrides);
            new ExamplesConfiguration().configure(context);
            PluginHelper.getRoutesLoader(context).loadRoutes(PluginHelper.getPackageScanResourceResolver(context)
                    .findResources("routes/*.camel.yaml"));
            org.apache.camel.model.Model model = context.getCamelContextExtension()
                    .getContextPlugin(org.apache.camel.model.Model.class);
            assertThat(model.getRouteDefinitions()).filteredOn(r -> r.getRouteId().startsWith("file-drop"))
                    .hasSize(2).allMatch(r -> "false".equals(r.getAutoStartup()));
            assertThat(model.getRouteDefinitions()).filteredOn(r -> !r.getRouteId().startsWith("file-drop"))
                    .isNotEmpty().allMatch(r -> r.getAutoStartup() == null);
        } finally {
            context.stop();
        }
    }
}
