package io.minitoolstream.camel.consumer;

import java.net.InetAddress;
import java.util.UUID;

/** Names a consumer instance in Tarantool's lease bookkeeping: host plus a random part, unique per instance. */
final class ConsumerIds {

    private static final String HOST = hostName();

    private ConsumerIds() {
    }

    static String next() {
        return HOST + "-" + UUID.randomUUID().toString().substring(0, 13);
    }

    private static String hostName() {
        try {
            String name = InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "");
            return name.isEmpty() ? "camel" : name.length() > 60 ? name.substring(0, 60) : name;
        } catch (Exception e) {
            return "camel";
        }
    }
}
