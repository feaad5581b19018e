package example;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;

/**
 * A camel-main application with the component on its class path: an HTTP route (camel-platform-http-main, Vert.x
 * on Netty) and a route that publishes to MiniToolStream (never triggered, so no server is needed). Exits 0 when
 * one GET is answered in full, 1 otherwise.
 */
public final class UserApp {

    public static void main(String[] args) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Main main = new Main();
        main.addInitialProperty("camel.server.enabled", "true");
        main.addInitialProperty("camel.server.host", "127.0.0.1");
        main.addInitialProperty("camel.server.port", String.valueOf(port));
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:/hello").setBody(constant("hello from a MiniToolStream user"));
                from("platform-http:/publish").to("minitoolstream:user-app?lazyStartProducer=true");
            }
        });
        int code = 1;
        try {
            main.start();
            if (main.getCamelContext().getEndpoint("minitoolstream:user-app") == null) {
                throw new IllegalStateException("no minitoolstream endpoint");
            }
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello"))
                            .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            System.out.println("GET /hello: " + response.statusCode() + " " + response.body());
            if (response.statusCode() == 200 && response.body().equals("hello from a MiniToolStream user")) {
                code = 0;
            }
        } catch (Exception e) {
            e.printStackTrace();
        } finally {
            main.stop();
        }
        System.exit(code);
    }
}
