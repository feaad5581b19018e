package io.minitoolstream.examples.grpc;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.grpc.Context;
import io.grpc.stub.ServerCallStreamObserver;
import org.apache.camel.Exchange;
import org.apache.camel.component.grpc.GrpcConstants;

/**
 * The response side of an egress call. The egress consumer runs with {@code routeControlledStreamObserver=true},
 * so the route (these beans) answers through the observer Camel puts on the exchange; this is what lets the
 * route choose the gRPC status, stream a batch with flow control, and keep a Subscribe call open after the
 * exchange is done.
 */
final class ResponseStreams {

    /** Exchange property holding the gRPC call's {@link Context}. */
    static final String CALL_CONTEXT = "minitoolstreamGrpcContext";

    private ResponseStreams() {
    }

    /**
     * Keeps the call's gRPC {@link Context} on the exchange. Must run on the thread gRPC called the route on (the
     * route's first step): later steps may run on other threads, where only this context tells promptly that the
     * client cancelled or its deadline passed (the observer learns it only after the route returned).
     */
    static void rememberCallContext(Exchange exchange) {
        exchange.setProperty(CALL_CONTEXT, Context.current());
    }

    static Context callContext(Exchange exchange) {
        Context context = exchange.getProperty(CALL_CONTEXT, Context.class);
        return context != null ? context : Context.ROOT;
    }

    @SuppressWarnings("unchecked")
    static <T> ServerCallStreamObserver<T> of(Exchange exchange) {
        Object observer = exchange.getProperty(GrpcConstants.GRPC_RESPONSE_OBSERVER);
        if (observer instanceof ServerCallStreamObserver<?> serverObserver) {
            return (ServerCallStreamObserver<T>) serverObserver;
        }
        throw new IllegalStateException("no gRPC response observer on the exchange: the egress grpc consumer needs"
                                        + " routeControlledStreamObserver=true");
    }

    /** Answers a unary call. */
    static <T> void reply(Exchange exchange, T response) {
        ServerCallStreamObserver<T> observer = of(exchange);
        observer.onNext(response);
        observer.onCompleted();
    }

    /**
     * Lets a streaming reply wait until the transport can take another message, so a large batch is not queued in
     * memory faster than the client reads it. Must be created before the first message is sent (gRPC accepts
     * the handler only during the initial call, which the synchronous route still is).
     */
    static final class ReadyGate {
        private final ServerCallStreamObserver<?> observer;
        private final Context callContext;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition ready = lock.newCondition();

        ReadyGate(ServerCallStreamObserver<?> observer, Context callContext) {
            this.observer = observer;
            this.callContext = callContext;
            observer.setOnReadyHandler(this::signal);
        }

        boolean isCancelled() {
            return callContext.isCancelled() || observer.isCancelled();
        }

        private void signal() {
            lock.lock();
            try {
                ready.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /**
         * True when the next message may be sent; false when the client cancelled (the caller stops sending).
         * Fails when the client has not read anything for {@code stall}.
         */
        boolean awaitReady(Duration stall) throws InterruptedException {
            long deadline = System.nanoTime() + stall.toNanos();
            lock.lock();
            try {
                while (!isCancelled() && !observer.isReady()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new IllegalStateException("the client read nothing for " + stall.toSeconds() + " s");
                    }
                    // The ready handler runs on the call's serialized executor, which waits for the route to
                    // return, so readiness is mostly seen by looking again after a short sleep.
                    ready.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(10)), TimeUnit.NANOSECONDS);
                }
                return !isCancelled();
            } finally {
                lock.unlock();
            }
        }
    }
}
