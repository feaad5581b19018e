package io.minitoolstream.camel;

import java.util.stream.Stream;

import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.ResolveEndpointFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad URIs fail when the endpoint is created, naming the bad value; bad bodies fail the exchange. */
class ValidationTest extends ComponentTestSupport {

    static Stream<Arguments> badUris() {
        return Stream.of(
                Arguments.of("minitoolstream:a%20b", "a\\u0020b"),
                Arguments.of("minitoolstream:" + "x".repeat(256), "256 bytes"),
                Arguments.of("minitoolstream:*", "*"),
                Arguments.of("minitoolstream:s?maxMessagesPerPoll=5000", "5000"),
                Arguments.of("minitoolstream:s?inlineThreshold=-1", "-1"),
                Arguments.of("minitoolstream:s?inlineThreshold=600000", "600000"),
                Arguments.of("minitoolstream:s?deliverPolicy=sometimes", "sometimes"),
                Arguments.of("minitoolstream:s?missingPayloadPolicy=ignore", "ignore"),
                Arguments.of("minitoolstream:s?missingPayloadPolicy=deadLetter", "deadLetterSubject"),
                Arguments.of("minitoolstream:s?addresses=nohost", "nohost"),
                Arguments.of("minitoolstream:s?addresses=host:99999", "host:99999"),
                Arguments.of("minitoolstream:s?s3Endpoint=ftp://x", "ftp://x"),
                Arguments.of("minitoolstream:s?bucket=Upper_Case", "Upper_Case"),
                Arguments.of("minitoolstream:s?durable=two%20words", "two\\u0020words"),
                Arguments.of("minitoolstream:s?startSequence=0", "0"),
                Arguments.of("minitoolstream:s?payloadPrefetch=-1", "payloadPrefetch '-1'"),
                Arguments.of("minitoolstream:s?payloadPrefetch=65", "payloadPrefetch '65'"),
                Arguments.of("minitoolstream:s?redeliveryBackoff=1s,soon", "'soon'"),
                Arguments.of("minitoolstream:*?operation=sweepOrphans&orphanGracePeriod=5&requestTimeout=10", "orphanGracePeriod '5'"),
                Arguments.of("minitoolstream:s?deadLetterSubject=s", "s"));
    }

    @ParameterizedTest
    @MethodSource("badUris")
    void badEndpointUrisFailAtCreationNamingTheValue(String uri, String named) {
        assertThatThrownBy(() -> context.getEndpoint(uri))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .rootCause().isInstanceOf(IllegalArgumentException.class).hasMessageContaining(named);
    }

    @Test
    void theWildcardSubjectIsAcceptedForCleanupOnly() {
        assertThat(context.getEndpoint("minitoolstream:*?operation=deleteOldMessages")).isNotNull();
    }

    @Test
    void aNullBodyFailsTheExchange() {
        Exchange result = template.request(uri(""), e -> e.getIn().setBody(null));
        assertThat(result.getException()).isInstanceOf(InvalidPayloadException.class);
        assertThat(template.requestBody(uri("operation=getLastSequence"), null, Long.class)).isZero();
    }

    @Test
    void aBodyCamelCannotStreamFailsTheExchangeNamingItsType() {
        Exchange result = template.request(uri(""), e -> e.getIn().setBody(new Thread()));
        assertThat(result.getException()).isInstanceOf(InvalidPayloadException.class)
                .hasMessageContaining("java.lang.Thread");
        assertThat(template.requestBody(uri("operation=getLastSequence"), null, Long.class)).isZero();
    }

    @Test
    void aStreamThatBreaksMidwayFailsThePublishAndStoresNothing() {
        java.io.InputStream breaking = new java.io.InputStream() {
            private int served;

            @Override
            public int read() throws java.io.IOException {
                if (served++ > 200_000) {
                    throw new java.io.IOException("disk went away");
                }
                return 1;
            }
        };
        Exchange result = template.request(uri(""), e -> e.getIn().setBody(breaking));
        assertThat(result.getException()).hasStackTraceContaining("disk went away");
        assertThat(template.requestBody(uri("operation=getLastSequence"), null, Long.class)).isZero();
    }

    static Stream<Arguments> badHeaders() {
        return Stream.of(
                Arguments.of(java.util.Map.of("big", "v".repeat(70_000)), "at header 'big'"),
                Arguments.of(java.util.Map.of("k".repeat(256), "v"), "must be 1 to 255 bytes, got 256"),
                Arguments.of(java.util.Map.of("", "v"), "invalid header name ''"));
    }

    @ParameterizedTest
    @MethodSource("badHeaders")
    void oversizedHeadersFailBeforeAnythingIsStored(java.util.Map<String, Object> headers, String named) {
        Exchange result = template.request(uri("inlineThreshold=0"), e -> {
            e.getIn().setBody("payload");
            e.getIn().setHeaders(new java.util.HashMap<>(headers));
        });
        assertThat(result.getException()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(named);
        assertThat(template.requestBody(uri("operation=getLastSequence"), null, Long.class)).isZero();
    }

    @Test
    void thousandsOfSmallHeadersAndReservedNamesAreHandled() throws Exception {
        java.util.Map<String, Object> headers = new java.util.HashMap<>();
        for (int i = 0; i < 3000; i++) {
            headers.put("key" + i, "value");
        }
        headers.put(MiniToolStreamConstants.SEQUENCE, 999_999L);
        headers.put(MiniToolStreamConstants.DELIVERY_COUNT, 42);
        publish(new byte[] { 1 }, headers);
        java.util.List<Delivery> deliveries = syncList();
        context.addRoutes(recordingRoute(uri("durable=many"), deliveries));
        await("the message", 10_000, () -> deliveries.size() == 1);
        assertThat(deliveries.get(0).headers()).containsEntry("key2999", "value")
                .containsEntry(MiniToolStreamConstants.DELIVERY_COUNT, 1);
        assertThat(deliveries.get(0).sequence()).as("a caller cannot forge the sequence").isNotEqualTo(999_999L);
    }

    @Test
    void anAckWithoutASequenceFailsNamingTheHeader() {
        Exchange result = template.request(uri("operation=ack&durable=d"), e -> { });
        assertThat(result.getException()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(MiniToolStreamConstants.SEQUENCE);
    }

    @Test
    void secretsStayOutOfToString() {
        MiniToolStreamEndpoint endpoint = context.getEndpoint(uri(""), MiniToolStreamEndpoint.class);
        String text = endpoint.getConfiguration().toString() + endpoint;
        assertThat(text).doesNotContain(services.tarantool().password()).doesNotContain(services.s3().secretKey());

        MiniToolStreamEndpoint withSecrets = context.getEndpoint(
                "minitoolstream:s?password=topSecretOne&secretKey=topSecretTwo&accessKey=topSecretThree",
                MiniToolStreamEndpoint.class);
        assertThat(withSecrets.toString() + withSecrets.getConfiguration())
                .doesNotContain("topSecretOne").doesNotContain("topSecretTwo").doesNotContain("topSecretThree");
    }
}
