package io.minitoolstream.devservices;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Loopback port helpers. Everything dev-services starts listens on loopback only. */
final class Net {

    static final String LOOPBACK = "127.0.0.1";

    private Net() {
    }

    /** A port that was free a moment ago (a child process must be told its port up front). */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new DevServicesException("Could not find a free loopback port", e);
        }
    }

    /** True when something accepts TCP connections on the loopback port. */
    static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
