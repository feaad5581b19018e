package io.minitoolstream.camel;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.ThreadPoolProfile;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Where the rest of a route runs after a publish, and what happens to accepted exchanges when the producer stops. */
class ProducerThreadsTest extends ComponentTestSupport {

    /** Camel's default pool, made small so 200 senders saturate it (it runs rejected tasks on the caller). */
    private static void shrinkDefaultPool(CamelContext camel) {
        ThreadPoolProfile profile = camel.getExecutorServiceManager().getDefaultThreadPoolProfile();
        profile.setPoolSize(2);
        profile.setMaxPoolSize(2);
        profile.setMaxQueueSize(5);
    }

    @Test
    void twoHundredSendersOnASaturatedProducerNeverContinueOnADriverThread() throws Exception {
        CamelContext camel = newContext();
        shrinkDefaultPool(camel);
        Set<String> continuedOn = ConcurrentHashMap.newKeySet();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:publish").to(uri("")).process(e -> continuedOn.add(Thread.currentThread().getName()));
            }
        });
        ProducerTemplate sender = camel.createProducerTemplate();
        List<CompletableFuture<Object>> sent = new ArrayList<>();
        for (int n = 0; n < 200; n++) {
            sent.add(sender.asyncRequestBody("direct:publish", ("m" + n).getBytes()));
        }
        for (CompletableFuture<Object> future : sent) {
            future.get(60, TimeUnit.SECONDS);
        }
        assertThat(continuedOn).isNotEmpty();
        assertThat(continuedOn).as("threads the route continued on").noneMatch(name -> name.contains("nioEventLoop")
                || name.contains("epollEventLoop") || name.toLowerCase().contains("tarantool"));
        assertThat(continuedOn).allMatch(name -> name.contains("MiniToolStreamProducer"));
    }

    @Test
    void everyExchangeAcceptedBeforeTheProducerStopsCompletes() throws Exception {
        Endpoint endpoint = context.getEndpoint(uri("inlineThreshold=0"));
        AsyncProducer producer = endpoint.createAsyncProducer();
        producer.start();
        List<CompletableFuture<Exchange>> done = new ArrayList<>();
        for (int n = 0; n < 50; n++) {
            Exchange exchange = endpoint.createExchange();
            exchange.getIn().setBody(("m" + n).getBytes());
            CompletableFuture<Exchange> finished = new CompletableFuture<>();
            producer.process(exchange, doneSync -> finished.complete(exchange));
            done.add(finished);
        }
        producer.stop(); // while uploads and inserts are still in flight
        for (CompletableFuture<Exchange> finished : done) {
            // with a sequence or with an error: never left hanging
            Exchange exchange = finished.get(30, TimeUnit.SECONDS);
            assertThat(exchange.getException() != null
                       || exchange.getIn().getHeader(MiniToolStreamConstants.SEQUENCE) != null).isTrue();
        }
    }
}
