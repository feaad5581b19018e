package io.minitoolstream.camel;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kamelet.KameletComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kamelets shipped in {@code k8s/base/kamelets}, loaded from those files (camel-kamelet, YAML DSL), over the
 * real servers. Only the required properties are given: the connection comes from the component's configuration,
 * as the Kamelets' descriptions promise (a Kamelet default for addresses, s3Endpoint or bucket would override it).
 */
class KameletsTest extends ComponentTestSupport {

    static final Path KAMELETS = Path.of("..", "k8s", "base", "kamelets").toAbsolutePath().normalize();

    record Received(long sequence, byte[] body, String objectName) {
    }

    @Test
    void theSinkPublishesAndTheSourceConsumesOnTheComponentsConnection() throws Exception {
        assertThat(KAMELETS.resolve("minitoolstream-sink.kamelet.yaml")).exists();
        byte[] large = new byte[200 * 1024];
        new Random(3).nextBytes(large);
        List<Received> received = new CopyOnWriteArrayList<>();

        CamelContext camel = new DefaultCamelContext();
        camel.addComponent("minitoolstream", configuredComponent());
        camel.getComponent("kamelet", KameletComponent.class).setLocation("file:" + KAMELETS);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:publish").to("kamelet:minitoolstream-sink?subject=" + subject);
                from("kamelet:minitoolstream-source?subject=" + subject + "&durable=kamelet-test")
                        .process(e -> received.add(new Received(
                                e.getMessage().getHeader(MiniToolStreamConstants.SEQUENCE, Long.class),
                                e.getMessage().getBody(byte[].class),
                                e.getMessage().getHeader(MiniToolStreamConstants.OBJECT_NAME, String.class))));
            }
        });
        camel.start();
        try {
            camel.createProducerTemplate().sendBody("direct:publish", "small");
            camel.createProducerTemplate().sendBody("direct:publish", large);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (received.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(received).hasSize(2);
            assertThat(received.get(0).body()).asString().isEqualTo("small");
            assertThat(received.get(0).objectName()).as("inline").isNull();
            assertThat(received.get(1).sequence()).isGreaterThan(received.get(0).sequence());
            assertThat(received.get(1).body()).isEqualTo(large);
            assertThat(received.get(1).objectName()).as("in object storage").isNotNull();
            assertThat(objectExists(received.get(1).objectName())).isTrue();
        } finally {
            camel.stop();
        }
    }
}
