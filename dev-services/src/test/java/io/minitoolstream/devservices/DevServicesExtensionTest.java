package io.minitoolstream.devservices;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DevServicesExtension.class)
class DevServicesExtensionTest {

    private static DevServices fromBeforeAll;
    private final DevServices fromConstructor;

    DevServicesExtensionTest(DevServices services) {
        this.fromConstructor = services;
    }

    @BeforeAll
    static void remember(DevServices services) {
        fromBeforeAll = services;
    }

    @Test
    void everyInjectionPointGetsTheSameRunningServers(DevServices services, TarantoolServer tarantool, S3Server s3) {
        assertThat(services).isSameAs(fromBeforeAll).isSameAs(fromConstructor);
        assertThat(services.tarantool()).isSameAs(tarantool);
        assertThat(services.s3()).isSameAs(s3);
        assertThat(services.isRunning()).isTrue();
        assertThat(Net.accepts(tarantool.port())).isTrue();
        assertThat(Net.accepts(s3.port())).isTrue();
    }

    @Test
    void sharedAcrossTestClasses(DevServices services) {
        SharedInstances.checkSame(services);
    }
}
