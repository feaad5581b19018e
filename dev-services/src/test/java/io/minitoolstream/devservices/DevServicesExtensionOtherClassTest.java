package io.minitoolstream.devservices;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A second class using the extension: it must get the instance the first class got. */
@ExtendWith(DevServicesExtension.class)
class DevServicesExtensionOtherClassTest {

    @Test
    void sharedAcrossTestClasses(DevServices services) {
        SharedInstances.checkSame(services);
        assertThat(services.isRunning()).isTrue();
    }
}
