package io.minitoolstream.camel.consumer;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.minitoolstream.camel.store.OrderedDelivery;
import io.minitoolstream.camel.store.StoredMessage;
import io.minitoolstream.camel.store.StreamStore;
import io.minitoolstream.camel.support.Futures;

/**
 * Where an ordered consumer keeps delivery counts, the last failure and the redelivery backoff of the message it
 * is about to deliver: in Tarantool for a durable (so they survive restarts and follow the message to the next
 * owner, and starting a batch also renews and checks the ownership), in memory without one.
 */
interface DeliveryBook {

    /** Before delivering a batch that starts with {@code first}: may this consumer deliver, and how often was it. */
    OrderedDelivery start(StoredMessage first) throws Exception;

    /** A delivery failed; the returned call is waited for before the next poll, so that poll sees the backoff. */
    CompletableFuture<?> failed(StoredMessage record, int deliveryCount, String reason);

    /** The durable's books in Tarantool. */
    static DeliveryBook stored(StreamStore streams, String subject, String durable, String consumerId,
                               double ackWaitSeconds, RedeliveryBackoff backoff, long awaitMillis) {
        return new DeliveryBook() {
            @Override
            public OrderedDelivery start(StoredMessage first) throws Exception {
                return Futures.await(streams.startOrderedDelivery(subject, durable, consumerId, first.sequence(),
                        ackWaitSeconds), awaitMillis);
            }

            @Override
            public CompletableFuture<?> failed(StoredMessage record, int deliveryCount, String reason) {
                return streams.failDelivery(subject, durable, consumerId, record.sequence(), reason,
                        backoff.secondsAfterDelivery(deliveryCount));
            }
        };
    }

    /** A consumer without a durable: its position lives in memory, and so do its books. */
    static DeliveryBook inMemory(RedeliveryBackoff backoff) {
        record Entry(int deliveries, String lastFailure, long notBefore) {
        }
        Map<Long, Entry> entries = new ConcurrentHashMap<>();
        return new DeliveryBook() {
            @Override
            public OrderedDelivery start(StoredMessage first) {
                // only messages that failed are kept; everything below the batch's first one is done
                entries.keySet().removeIf(sequence -> sequence < first.sequence());
                Entry entry = entries.getOrDefault(first.sequence(), new Entry(0, null, 0));
                if (entry.notBefore() > System.currentTimeMillis()) {
                    return new OrderedDelivery(true, false, entry.deliveries(), entry.notBefore(), entry.lastFailure());
                }
                entries.put(first.sequence(), new Entry(entry.deliveries() + 1, entry.lastFailure(), 0));
                return new OrderedDelivery(true, true, entry.deliveries() + 1, 0, entry.lastFailure());
            }

            @Override
            public CompletableFuture<?> failed(StoredMessage record, int deliveryCount, String reason) {
                entries.put(record.sequence(), new Entry(deliveryCount, reason,
                        System.currentTimeMillis() + backoff.afterDelivery(deliveryCount)));
                return CompletableFuture.completedFuture(null);
            }
        };
    }
}
