package io.minitoolstream.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.minio.MinioClient;
import org.apache.camel.Endpoint;

/**
 * P3: 10 KB publish forced through object storage ({@code inlineThreshold=0}): one PUT plus one Tarantool call per
 * message. Peer: the raw MinIO client PUT of the same bytes to the same S3 server with the same concurrency, using
 * the client the component builds (TCP_NODELAY); MinIO's default client (Nagle on) is measured for reference.
 */
final class P3S3Publish {

    static final String PEER = "raw MinioClient PUT (TCP_NODELAY client)";
    private static final String SUBJECT = "bench-p3";
    private static final int SIZE = 10 * 1024;

    private P3S3Publish() {
    }

    static List<Row> run(BenchEnv env) throws Exception {
        Timing timing = env.options.comparisonTiming();
        byte[] body = Payloads.random(SIZE, 3);
        env.route("direct:p3-mts", "minitoolstream:" + SUBJECT + "?inlineThreshold=0");
        Endpoint ours = env.camel.getEndpoint("direct:p3-mts");
        MinioClient noDelay = S3Clients.noDelay(env.s3Settings());
        MinioClient minioDefault = S3Clients.minioDefault(env.s3Settings());
        List<Row> rows = new ArrayList<>();
        try {
            S3Clients.ensureBucket(noDelay, BenchEnv.BUCKET);
            java.time.Duration firstWarmup = env.options.firstWarmup().multipliedBy(3);
            for (int senders : new int[] {1, 64}) {
                String name = "publish 10 KB via S3, " + senders + (senders == 1 ? " sender" : " senders");
                Log.info("P3 %s: MiniToolStream, %s and the default MinIO client, alternating", name, PEER);
                Map<String, Load.Outcome> outcomes = Load.interleaved(List.of(
                        new Load.Contender("MiniToolStream", senders, worker -> env.template.sendBody(ours, body)),
                        new Load.Contender(PEER, senders, worker -> S3Clients.put(noDelay, BenchEnv.BUCKET,
                                "bench-p3-raw/" + UUID.randomUUID(), body)),
                        new Load.Contender("default MinIO client", senders, worker -> S3Clients.put(minioDefault,
                                BenchEnv.BUCKET, "bench-p3-default/" + UUID.randomUUID(), body))),
                        timing, firstWarmup);
                // the S3 server warms up slowly (JIT of Jetty, S3Proxy, jclouds): the first cell warms longer
                firstWarmup = env.options.firstWarmup();
                Load.Outcome mts = outcomes.get("MiniToolStream");
                Load.Outcome raw = outcomes.get(PEER);
                Load.Outcome slow = outcomes.get("default MinIO client");
                Row row = new Row("P3", name, "msg/s").ours(mts).peer(PEER, raw)
                        .atLeast(0.9, null, ">= 0.9x raw S3 PUT")
                        .detail("route", "direct -> minitoolstream:" + SUBJECT + "?inlineThreshold=0")
                        .detail("minioDefaultClientPutPerSecond", Stats.median(slow.rates()))
                        .detail("minioDefaultClientRuns", slow.rates());
                Log.info("P3 %s: %.0f msg/s vs %.0f PUT/s (%.2fx); default MinIO client %.0f PUT/s", name, row.ours,
                        row.peerValue, row.ratio == null ? Double.NaN : row.ratio, Stats.median(slow.rates()));
                rows.add(row);
            }
        } finally {
            S3Clients.close(noDelay);
            S3Clients.close(minioDefault);
        }
        return rows;
    }
}
