package io.minitoolstream.devservices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three real Tarantool processes electing their leader ({@code MTS_ELECTION=candidate}): failover without an
 * operator. Needs Tarantool 2.10+ ({@code MTS_TARANTOOL}); on older versions only the refusal is checked.
 */
class TarantoolReplicaSetElectionTest {

    private static final Logger LOG = LoggerFactory.getLogger(TarantoolReplicaSetElectionTest.class);
    private static final TarantoolVersion VERSION = TarantoolVersion.installed();

    @Test
    void threeMembersElectALeaderAndReplaceItWhenItDies() throws Exception {
        assumeTrue(VERSION.hasElections(), VERSION.lacks("leader election"));
        try (TarantoolReplicaSet set = TarantoolReplicaSet.builder().members(3).election(true).build().start()) {
            assertThat(set.servers()).hasSize(3);
            assertThat(set.isSync()).isTrue();
            TarantoolServer leader = set.leader();
            long before = TarantoolCli.publish(leader, "el.a");
            for (TarantoolServer server : set.servers()) {
                if (server != leader) {
                    assertThat(TarantoolReplicaSet.isWritable(server)).as("followers are read-only").isFalse();
                    assertThatThrownBy(() -> TarantoolCli.publish(server, "el.a")).hasMessageContaining("read-only");
                }
            }
            assertThat(TarantoolCli.eval(leader, "return (...):call('get_instance_info').election_state"))
                    .isEqualTo("leader");

            long killedAt = System.nanoTime();
            leader.kill();
            TarantoolServer next = set.awaitLeader(Duration.ofSeconds(10), leader);
            long electedMillis = Duration.ofNanos(System.nanoTime() - killedAt).toMillis();
            long after = TarantoolCli.publish(next, "el.a");
            LOG.info("ELECTION: new leader {} writable {} ms after the kill", next.address(), electedMillis);
            assertThat(electedMillis).as("a new leader within 5 s").isLessThan(5_000);
            assertThat(after).as("the sequence continues").isGreaterThan(before);
            assertThat(TarantoolCli.sequences(next, "el.a")).contains(before, after);

            leader.start();
            assertThat(TarantoolReplicaSet.isWritable(leader)).as("the old leader rejoins as a follower").isFalse();
            awaitSequences(leader, "el.a", Set.of(before, after));
            assertThat(set.leader()).isSameAs(next);
        }
    }

    @Test
    void electionIsRefusedWhereTheServerHasNone() {
        assumeFalse(VERSION.hasElections(), "Tarantool " + VERSION + " has leader election; nothing to refuse");
        try (TarantoolServer server = TarantoolServer.builder()
                .env("MTS_REPLICATION", "127.0.0.1:1,127.0.0.1:2")
                .env("MTS_ELECTION", "candidate")
                .build()) {
            assertThatThrownBy(server::start).isInstanceOf(DevServicesException.class)
                    .hasMessageContaining("MTS_ELECTION=candidate needs Tarantool 2.10 or later")
                    .hasMessageContaining("this is Tarantool " + VERSION.text());
        }
    }

    private static void awaitSequences(TarantoolServer server, String subject, Set<Long> expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!TarantoolCli.sequences(server, subject).containsAll(expected)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(server.address() + " did not catch up with " + expected);
            }
            Thread.sleep(50);
        }
    }
}
