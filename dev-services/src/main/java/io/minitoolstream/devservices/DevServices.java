package io.minitoolstream.devservices;

import java.util.Objects;

/**
 * Tarantool plus an S3 server: everything MiniToolStream needs, on loopback.
 *
 * <pre>{@code
 * try (DevServices services = DevServices.startDefault()) {
 *     String tarantool = services.tarantool().address();
 *     String s3 = services.s3().endpoint();
 * }
 * }</pre>
 */
public final class DevServices implements AutoCloseable {

    private final TarantoolServer tarantool;
    private final S3Server s3;

    /** Both servers with their defaults; call {@link #start()}. */
    public DevServices() {
        this(new TarantoolServer(), new S3Server());
    }

    /** Custom-built servers; this object then owns them and closes them on {@link #close()}. */
    public DevServices(TarantoolServer tarantool, S3Server s3) {
        this.tarantool = Objects.requireNonNull(tarantool, "tarantool");
        this.s3 = Objects.requireNonNull(s3, "s3");
    }

    /** Starts both servers with their defaults and returns them running. */
    public static DevServices startDefault() {
        DevServices services = new DevServices();
        try {
            return services.start();
        } catch (RuntimeException e) {
            // The caller never gets the object, so it cannot close it: clean up here.
            services.close();
            throw e;
        }
    }

    /** Starts whichever server is not running; on failure, nothing is left running. */
    public DevServices start() {
        try {
            s3.start();
            tarantool.start();
            return this;
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    /** Stops both; {@link #start()} brings them back on the same ports and data. */
    public void stop() {
        try {
            tarantool.stop();
        } finally {
            s3.stop();
        }
    }

    public TarantoolServer tarantool() {
        return tarantool;
    }

    public S3Server s3() {
        return s3;
    }

    public boolean isRunning() {
        return tarantool.isRunning() && s3.isRunning();
    }

    /** Stops both and deletes the temp directories they created. */
    @Override
    public void close() {
        try {
            tarantool.close();
        } finally {
            s3.close();
        }
    }

    @Override
    public String toString() {
        return "DevServices[" + tarantool + ", " + s3 + "]";
    }
}
