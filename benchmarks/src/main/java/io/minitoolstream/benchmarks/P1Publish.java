package io.minitoolstream.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.Endpoint;

/**
 * P1: publish through a Camel route ({@code direct} -> {@code minitoolstream:}), 1 KB and 10 KB, with 1 and 64
 * concurrent senders (threads calling the producer template). Peer: the same route shape to {@code camel-nats}
 * with JetStream on, into a file-storage stream created up front.
 */
final class P1Publish {

    static final String PEER = "camel-nats JetStream (file storage)";
    private static final String STREAM = "BENCH_P1";

    private P1Publish() {
    }

    static List<Row> run(BenchEnv env) throws Exception {
        Timing timing = env.options.comparisonTiming();
        env.freshStream(STREAM, "bench.p1.>");
        List<Row> rows = new ArrayList<>();
        try {
            for (int size : new int[] {1024, 10 * 1024}) {
                String tag = (size / 1024) + "k";
                String subject = "bench-p1-" + tag;
                env.route("direct:p1-mts-" + tag, "minitoolstream:" + subject);
                env.route("direct:p1-nats-" + tag, env.natsUri("bench.p1." + tag, STREAM));
                Endpoint ours = env.camel.getEndpoint("direct:p1-mts-" + tag);
                Endpoint peer = env.camel.getEndpoint("direct:p1-nats-" + tag);
                byte[] body = Payloads.random(size, 1);
                for (int senders : new int[] {1, 64}) {
                    String name = "publish " + Payloads.label(size) + ", " + senders + (senders == 1 ? " sender"
                            : " senders");
                    Log.info("P1 %s: MiniToolStream and %s, alternating", name, PEER);
                    Map<String, Load.Outcome> outcomes = Load.interleaved(List.of(
                            new Load.Contender("MiniToolStream", senders, worker -> env.template.sendBody(ours, body)),
                            new Load.Contender(PEER, senders, worker -> env.template.sendBody(peer, body))),
                            timing, env.options.firstWarmup());
                    Load.Outcome mts = outcomes.get("MiniToolStream");
                    Load.Outcome nats = outcomes.get(PEER);
                    Cleanup.deleteSubject(env, subject);
                    env.jsm().purgeStream(STREAM);
                    Row row = new Row("P1", name, "msg/s").ours(mts).peer(PEER, nats)
                            .detail("route", "direct -> minitoolstream:" + subject)
                            .detail("peerRoute", "direct -> nats:bench.p1." + tag
                                    + "?jetstreamEnabled=true&jetstreamName=" + STREAM);
                    if (size == 1024 && senders > 1) {
                        row.atLeast(1.0, 20_000.0, ">= 1.0x JetStream and >= 20,000 msg/s");
                    } else {
                        row.atLeast(1.0, null, ">= 1.0x JetStream");
                    }
                    Log.info("P1 %s: %.0f msg/s vs %.0f msg/s (%.2fx)", name, row.ours, row.peerValue,
                            row.ratio == null ? Double.NaN : row.ratio);
                    rows.add(row);
                }
            }
        } finally {
            env.deleteStream(STREAM);
        }
        return rows;
    }
}
