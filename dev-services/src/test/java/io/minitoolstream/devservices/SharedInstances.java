package io.minitoolstream.devservices;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;

/** Remembers the first DevServices a test class was given, so the other class can compare. */
final class SharedInstances {

    private static final AtomicReference<DevServices> FIRST = new AtomicReference<>();

    private SharedInstances() {
    }

    /** Records {@code services} if it is the first seen, and checks it is the one every class got. */
    static void checkSame(DevServices services) {
        FIRST.compareAndSet(null, services);
        assertThat(services).isSameAs(FIRST.get());
    }
}
