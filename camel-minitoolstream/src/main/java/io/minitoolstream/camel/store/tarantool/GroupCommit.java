package io.minitoolstream.camel.store.tarantool;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import io.minitoolstream.camel.store.NewMessage;
import io.minitoolstream.camel.store.StreamStoreException;
import io.minitoolstream.camel.support.InFlightBatcher;

/**
 * Group commit for publishes: while {@link #MAX_CALLS_IN_FLIGHT} calls are out, new records queue, and the next call
 * takes everything queued (up to {@link #MAX_BATCH}) in one {@code publish_records} call: one round trip, one
 * transaction, one WAL write. An idle stream sends each record at once through {@code publish_record}, so a lone
 * publisher waits no longer. Every record keeps its own result: its sequence, or its own error.
 */
final class GroupCommit {

    /** Calls in flight before publishes start to queue; measured on 2 cores: 1-4 all beat one call per record. */
    static final int MAX_CALLS_IN_FLIGHT = 4;
    /** Records per call (the Lua side takes up to 1000). */
    static final int MAX_BATCH = 256;

    private record Pending(NewMessage message, CompletableFuture<Long> result) {
    }

    private final Function<NewMessage, CompletableFuture<Long>> single;
    private final Function<List<?>, CompletableFuture<List<?>>> call;
    private final Function<Throwable, StreamStoreException> failure;
    private final InFlightBatcher<Pending> batcher;

    /**
     * @param single  publishes one record with {@code publish_record}
     * @param call    sends {@code publish_records} with the given arguments
     * @param failure turns a failed call into the exception every record of it fails with
     */
    GroupCommit(Function<NewMessage, CompletableFuture<Long>> single, Function<List<?>, CompletableFuture<List<?>>> call,
                Function<Throwable, StreamStoreException> failure, int maxCallsInFlight, int maxBatch) {
        this.single = single;
        this.call = call;
        this.failure = failure;
        this.batcher = new InFlightBatcher<>(this::send, maxCallsInFlight, maxBatch);
    }

    CompletableFuture<Long> publish(NewMessage message) {
        Pending pending = new Pending(message, new CompletableFuture<>());
        batcher.add(pending);
        return pending.result();
    }

    /** One call for the batch; the returned stage ends once every record of it has its result. */
    private CompletableFuture<?> send(List<Pending> batch) {
        if (batch.size() == 1) {
            Pending only = batch.get(0);
            CompletableFuture<Long> sent;
            try {
                sent = single.apply(only.message());
            } catch (RuntimeException e) {
                sent = CompletableFuture.failedFuture(failure.apply(e));
            }
            return sent.whenComplete((sequence, error) -> {
                if (error != null) {
                    only.result().completeExceptionally(error);
                } else {
                    only.result().complete(sequence);
                }
            });
        }
        List<NewMessage> records = new ArrayList<>(batch.size());
        for (Pending pending : batch) {
            records.add(pending.message());
        }
        CompletableFuture<List<?>> sent;
        try {
            sent = call.apply(List.of(new PackedRecords(records)));
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.whenComplete((results, error) -> complete(batch, results, error));
    }

    private void complete(List<Pending> batch, List<?> results, Throwable error) {
        if (error != null) {
            StreamStoreException e = failure.apply(error);
            batch.forEach(pending -> pending.result().completeExceptionally(e));
            return;
        }
        Object first = results == null || results.isEmpty() ? null : results.get(0);
        if (!(first instanceof List<?> perRecord) || perRecord.size() != batch.size()) {
            StreamStoreException e = new StreamStoreException("unexpected result from " + LuaFunctions.PUBLISH_RECORDS + ": "
                    + results);
            batch.forEach(pending -> pending.result().completeExceptionally(e));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            CompletableFuture<Long> future = batch.get(i).result();
            try {
                future.complete(LuaResults.toPublished(LuaFunctions.PUBLISH_RECORDS, perRecord.get(i)));
            } catch (StreamStoreException e) {
                future.completeExceptionally(e);
            }
        }
    }
}
