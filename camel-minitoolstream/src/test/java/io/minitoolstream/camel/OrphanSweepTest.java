package io.minitoolstream.camel;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.minio.PutObjectArgs;
import org.apache.camel.Exchange;
import org.apache.camel.ResolveEndpointFailedException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sweepOrphans operation on the component's shared clients, against the real servers. */
class OrphanSweepTest extends ComponentTestSupport {

    @Test
    void removesOldUnreferencedObjectsAndKeepsReferencedAndYoungOnes() throws Exception {
        List<String> referenced = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Exchange published = publish(uri("inlineThreshold=0"), ("payload " + i).getBytes(), Map.of());
            referenced.add(published.getIn().getHeader(MiniToolStreamConstants.OBJECT_NAME, String.class));
        }
        List<String> orphans = List.of(subject + "/orphan-1", subject + "/orphan-2");
        orphans.forEach(OrphanSweepTest::putObject);
        // older than the 1 s grace period (S3 modification times have second precision)
        Thread.sleep(2_100);
        String young = subject + "/orphan-young";
        putObject(young);

        Integer removed = template.requestBody("minitoolstream:*?operation=sweepOrphans&orphanGracePeriod=1000"
                                               + "&requestTimeout=500", null, Integer.class);

        assertThat(removed).as("objects removed by this sweep").isGreaterThanOrEqualTo(orphans.size());
        orphans.forEach(name -> assertThat(objectExists(name)).as(name + " removed").isFalse());
        referenced.forEach(name -> assertThat(objectExists(name)).as(name + " kept").isTrue());
        assertThat(objectExists(young)).as("an object within the grace period is kept").isTrue();
    }

    @Test
    void aGracePeriodWithinTheRequestTimeoutIsRefusedAtEndpointCreation() {
        assertThatThrownBy(() -> context.getEndpoint(
                "minitoolstream:*?operation=sweepOrphans&orphanGracePeriod=500&requestTimeout=1000"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasRootCauseInstanceOf(IllegalArgumentException.class)
                .rootCause().hasMessageContaining("orphanGracePeriod '500'");
    }

    private static void putObject(String name) {
        byte[] data = name.getBytes();
        try {
            minio().putObject(PutObjectArgs.builder().bucket("minitoolstream").object(name)
                    .stream(new ByteArrayInputStream(data), data.length, -1).build());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
