package io.minitoolstream.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.minio.MinioClient;
import io.minitoolstream.camel.store.NewMessage;
import io.minitoolstream.camel.store.s3.MinioPayloadStore;
import io.minitoolstream.camel.store.tarantool.TarantoolClients;
import io.minitoolstream.camel.store.tarantool.TarantoolStreamStore;
import io.nats.client.JetStream;
import io.tarantool.driver.api.TarantoolClient;
import io.tarantool.driver.api.TarantoolResult;
import io.tarantool.driver.api.tuple.TarantoolTuple;

/**
 * What the building blocks can do on this machine, without Camel: the Tarantool driver's call rate (sequential
 * and with 64 calls in flight), the Lua publish function alone, a raw S3 PUT, and JetStream's own async publish.
 * They bound what P1-P3 can reach.
 */
final class Baselines {

    private static final String SUBJECT = "bench-baseline";
    private static final String STREAM = "BENCH_BASE";

    private Baselines() {
    }

    static List<Row> run(BenchEnv env) throws Exception {
        Timing timing = env.options.throughputTiming();
        List<Row> rows = new ArrayList<>();
        TarantoolClient<TarantoolTuple, TarantoolResult<TarantoolTuple>> client =
                TarantoolClients.create(env.tarantoolSettings());
        try {
            Log.info("Baseline: Tarantool get_schema_version, sequential");
            Load.Outcome sequential = Load.closedLoop("b-tnt-seq", 1, timing,
                    worker -> client.call("get_schema_version").get());
            rows.add(new Row("B", "Tarantool call get_schema_version, sequential", "calls/s").ours(sequential)
                    .detail("client", "TarantoolStreamStore.createClient (cartridge-driver 0.13.0)"));
            Log.info("Baseline: Tarantool get_schema_version, 64 in flight");
            Load.Outcome pipelined = Load.inFlight("b-tnt-64", 64, timing, () -> client.call("get_schema_version"));
            rows.add(new Row("B", "Tarantool call get_schema_version, 64 in flight", "calls/s").ours(pipelined));

            TarantoolStreamStore store = new TarantoolStreamStore(client);
            byte[] kilobyte = Payloads.random(1024, 7);
            NewMessage message = new NewMessage(SUBJECT, Map.of(), null, kilobyte, kilobyte.length, null);
            Log.info("Baseline: publish_record 1 KB inline, sequential");
            Load.Outcome publishSequential = Load.closedLoop("b-pub-seq", 1, timing,
                    worker -> store.publish(message).get());
            rows.add(new Row("B", "Lua publish_record 1 KB inline, sequential (no Camel)", "msg/s")
                    .ours(publishSequential));
            Log.info("Baseline: publish_record 1 KB inline, 64 in flight");
            Load.Outcome publishPipelined = Load.inFlight("b-pub-64", 64, timing, () -> store.publish(message));
            rows.add(new Row("B", "Lua publish_record 1 KB inline, 64 in flight (no Camel)", "msg/s")
                    .ours(publishPipelined));
            Cleanup.deleteSubject(env, SUBJECT);
        } finally {
            client.close();
        }

        MinioClient s3 = S3Clients.noDelay(env.s3Settings());
        try {
            S3Clients.ensureBucket(s3, BenchEnv.BUCKET);
            byte[] body = Payloads.random(10 * 1024, 8);
            for (int threads : new int[] {1, 16}) {
                Log.info("Baseline: raw S3 PUT 10 KB, %d thread(s)", threads);
                Load.Outcome put = Load.closedLoop("b-s3-" + threads, threads, timing,
                        worker -> S3Clients.put(s3, BenchEnv.BUCKET, "bench-baseline/" + UUID.randomUUID(), body));
                rows.add(new Row("B", "raw S3 PUT 10 KB, " + threads + (threads == 1 ? " thread" : " threads"),
                        "PUT/s").ours(put).detail("client", "MinioPayloadStore.createClient (TCP_NODELAY)"));
            }
        } finally {
            S3Clients.close(s3);
        }

        env.freshStream(STREAM, "bench.base");
        try {
            JetStream js = env.jetStream();
            byte[] kilobyte = Payloads.random(1024, 9);
            Log.info("Baseline: JetStream publishAsync 1 KB, 64 in flight (jnats, no Camel)");
            Load.Outcome jetStream = Load.inFlight("b-js-64", 64, timing, () -> js.publishAsync("bench.base", kilobyte));
            rows.add(new Row("B", "JetStream publishAsync 1 KB, 64 in flight (jnats, no Camel)", "msg/s")
                    .ours(jetStream));
        } finally {
            env.deleteStream(STREAM);
        }
        for (Row row : rows) {
            Log.info("  %s: %.0f %s", row.name, row.ours, row.unit);
        }
        return rows;
    }
}
