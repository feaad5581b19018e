package io.minitoolstream.devservices;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DevServicesTest {

    @Test
    void startsBothAndClosesBoth() {
        DevServices services = DevServices.startDefault();
        try {
            assertThat(services.isRunning()).isTrue();
            assertThat(Net.accepts(services.tarantool().port())).isTrue();
            assertThat(Net.accepts(services.s3().port())).isTrue();
            assertThat(services.toString())
                    .doesNotContain(services.tarantool().password())
                    .doesNotContain(services.s3().secretKey());
        } finally {
            services.close();
        }
        assertThat(services.tarantool().isRunning()).isFalse();
        assertThat(services.s3().isRunning()).isFalse();
        assertThat(services.tarantool().dataDir()).doesNotExist();
        assertThat(services.s3().baseDir()).doesNotExist();
    }
}
