package io.minitoolstream.camel;

import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.minitoolstream.devservices.GeneratedStream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Run by {@link LargePayloadMemoryTest} in a JVM with a small heap: publishes one generated stream of the given
 * length to the given subject, consumes it with a durable route that hashes the body as it reads, and prints
 * {@code published <sha256> <length>}, {@code object <name>} and {@code consumed <sha256> <length>}. Servers and
 * credentials come from the environment ({@code MTS_TEST_*}), so no secret is on a command line. Exits 0 when both
 * sides ran, 1 on any failure.
 */
public final class LargePayloadMain {

    private LargePayloadMain() {
    }

    /** stdin is a pipe from the test JVM: it ends when that JVM dies, even by SIGKILL; then this one ends too. */
    private static void exitWhenTheParentDies() {
        Thread watcher = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // nothing is ever written; wait for the end of the stream
                }
            } catch (java.io.IOException ignored) {
                // the pipe broke: same as its end
            }
            Runtime.getRuntime().halt(2);
        }, "exit-with-parent");
        watcher.setDaemon(true);
        watcher.start();
    }

    public static void main(String[] args) throws Exception {
        String subject = args[0];
        long length = Long.parseLong(args[1]);
        long seed = Long.parseLong(args[2]);
        exitWhenTheParentDies();
        int exit = 1;
        CamelContext camel = new DefaultCamelContext();
        // Camel's default stream caching (spooling off) would copy every consumed stream into the heap before the
        // route sees it: that is Camel's choice, outside the component. Off here, as in the benchmarks, so what is
        // measured is the component's own paths.
        camel.setStreamCaching(false);
        try {
            MiniToolStreamComponent component = new MiniToolStreamComponent();
            MiniToolStreamConfiguration config = component.getConfiguration();
            config.setAddresses(System.getenv("MTS_TEST_ADDRESSES"));
            config.setUsername(System.getenv("MTS_TEST_USERNAME"));
            config.setPassword(System.getenv("MTS_TEST_PASSWORD"));
            config.setS3Endpoint(System.getenv("MTS_TEST_S3_ENDPOINT"));
            config.setAccessKey(System.getenv("MTS_TEST_S3_ACCESS_KEY"));
            config.setSecretKey(System.getenv("MTS_TEST_S3_SECRET_KEY"));
            camel.addComponent("minitoolstream", component);
            camel.start();

            GeneratedStream body = new GeneratedStream(length, seed);
            Exchange published = camel.createProducerTemplate().request("minitoolstream:" + subject,
                    e -> e.getIn().setBody(body));
            if (published.getException() != null) {
                throw published.getException();
            }
            System.out.println("object " + published.getIn().getHeader(MiniToolStreamConstants.OBJECT_NAME));
            System.out.println("published " + body.sha256() + " " + body.position());

            CompletableFuture<ComponentTestSupport.HashingResult> consumed = new CompletableFuture<>();
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("minitoolstream:" + subject + "?durable=large&delay=50").process(e -> {
                        try {
                            consumed.complete(ComponentTestSupport.sha256(e.getIn().getBody(InputStream.class)));
                        } catch (Throwable t) {
                            consumed.completeExceptionally(t);
                            throw t;
                        }
                    });
                }
            });
            ComponentTestSupport.HashingResult hash = consumed.get(5, TimeUnit.MINUTES);
            System.out.println("consumed " + hash.hex() + " " + hash.length());
            exit = 0;
        } catch (Throwable t) {
            t.printStackTrace();
        } finally {
            try {
                camel.stop();
            } finally {
                System.out.flush();
                System.exit(exit);
            }
        }
    }
}
