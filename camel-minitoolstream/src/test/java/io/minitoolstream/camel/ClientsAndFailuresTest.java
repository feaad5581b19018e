package io.minitoolstream.camel;


import io.minio.BucketExistsArgs;
import io.minio.MinioClient;
import io.minitoolstream.camel.store.PayloadStoreException;
import io.minitoolstream.camel.store.StreamStoreException;
import io.minitoolstream.camel.store.s3.MinioPayloadStore;
import io.minitoolstream.camel.store.s3.S3Settings;
import io.minitoolstream.camel.store.tarantool.TarantoolClients;
import io.minitoolstream.camel.store.tarantool.TarantoolSettings;
import io.minitoolstream.camel.store.tarantool.TarantoolStreamStore;
import io.tarantool.driver.api.TarantoolClient;
import io.tarantool.driver.api.TarantoolResult;
import io.tarantool.driver.api.tuple.TarantoolTuple;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Who owns the clients, how options are copied, and how storage failures reach the exchange. */
class ClientsAndFailuresTest extends ComponentTestSupport {

    @Test
    void clientsInTheRegistryAreAutowiredUsedAndLeftOpen() throws Exception {
        MinioClient minio = io.minitoolstream.camel.store.s3.S3Clients.create(new S3Settings(services.s3().endpoint(),
                services.s3().region(), services.s3().accessKey(), services.s3().secretKey(), "minitoolstream", true));
        TarantoolClient<TarantoolTuple, TarantoolResult<TarantoolTuple>> tarantool = TarantoolClients.create(
                TarantoolSettings.of(String.join(",", services.tarantool().address()), services.tarantool().username(),
                        services.tarantool().password(), 5000, 10000));
        CamelContext camel = new DefaultCamelContext();
        camel.getRegistry().bind("myMinio", minio);
        camel.getRegistry().bind("myTarantool", tarantool);
        camel.start();
        try {
            MiniToolStreamEndpoint endpoint = camel.getEndpoint("minitoolstream:" + subject + "?inlineThreshold=0",
                    MiniToolStreamEndpoint.class);
            assertThat(endpoint.getConfiguration().getMinioClient()).isSameAs(minio);
            assertThat(endpoint.getConfiguration().getTarantoolClient()).isSameAs(tarantool);
            Exchange published = camel.createProducerTemplate().request(endpoint, e -> e.getIn().setBody("via beans"));
            assertThat(published.getException()).isNull();
            assertThat(objectExists(published.getIn().getHeader(MiniToolStreamConstants.OBJECT_NAME, String.class)))
                    .isTrue();
        } finally {
            camel.stop();
        }
        // the component did not create them, so it did not close them
        assertThat(minio.bucketExists(BucketExistsArgs.builder().bucket("minitoolstream").build())).isTrue();
        assertThat(tarantool.call("get_schema_version").get()).isNotEmpty();
        tarantool.close();
    }

    @Test
    void endpointOptionsAreCopiesThatNeverLeakIntoTheComponentOrOtherEndpoints() {
        MiniToolStreamEndpoint custom = context.getEndpoint(uri("bucket=other-bucket&inlineThreshold=10"),
                MiniToolStreamEndpoint.class);
        MiniToolStreamEndpoint plain = context.getEndpoint(uri(""), MiniToolStreamEndpoint.class);
        MiniToolStreamComponent component = context.getComponent("minitoolstream", MiniToolStreamComponent.class);
        assertThat(custom.getConfiguration().getBucket()).isEqualTo("other-bucket");
        assertThat(plain.getConfiguration().getBucket()).isEqualTo("minitoolstream");
        assertThat(component.getConfiguration().getBucket()).isEqualTo("minitoolstream");
        assertThat(plain.getConfiguration().getInlineThreshold()).isEqualTo(64 * 1024);
        assertThat(plain.getConfiguration().getAddresses()).isEqualTo(services.tarantool().address());
    }

    @Test
    void anUnreachableTarantoolFailsTheExchangeNamingTheAddress() {
        Exchange result = template.request(uri("addresses=127.0.0.1:1&connectTimeout=500"),
                e -> e.getIn().setBody("x"));
        assertThat(result.getException()).isInstanceOf(StreamStoreException.class)
                .hasMessageContaining("127.0.0.1:1");
    }

    @Test
    void anUnreachableObjectStoreFailsOnlyThePublishesThatNeedIt() {
        String unreachable = "s3Endpoint=http://127.0.0.1:1";
        Exchange large = template.request(uri(unreachable + "&inlineThreshold=0"), e -> e.getIn().setBody("x"));
        assertThat(large.getException()).isInstanceOf(PayloadStoreException.class)
                .hasMessageContaining("127.0.0.1:1").hasMessageContaining("minitoolstream");
        assertThat(template.requestBody(uri("operation=getLastSequence"), null, Long.class))
                .as("a failed upload stores no record").isZero();

        Exchange small = template.request(uri(unreachable), e -> e.getIn().setBody("fits inline"));
        assertThat(small.getException()).as("inline payloads never touch object storage").isNull();
        assertThat(template.requestBody(uri("operation=getLastSequence"), null, Long.class))
                .isEqualTo(small.getIn().getHeader(MiniToolStreamConstants.SEQUENCE, Long.class));
    }
}
