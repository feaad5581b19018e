package io.minitoolstream.examples.cleaner;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sweep's logic with an in-memory bucket and reference set. */
class OrphanSweeperTest {

    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void removesOnlyOldObjectsThatNoMessageReferences() throws Exception {
        FakeBucket bucket = new FakeBucket(2,
                object("a/old-orphan", 7200), object("a/old-referenced", 7200),
                object("b/young-orphan", 60), object("c/old-orphan", 3601), object("c/referenced", 99999));
        FakeReferences references = new FakeReferences(Set.of("a/old-referenced", "c/referenced"));

        OrphanSweeper.Result result = new OrphanSweeper(bucket, references, Duration.ofHours(1), CLOCK).sweep();

        assertThat(result.removed()).containsExactly("a/old-orphan", "c/old-orphan");
        assertThat(bucket.removed).containsExactly("a/old-orphan", "c/old-orphan");
        assertThat(result.listed()).isEqualTo(5);
        assertThat(result.checked()).isEqualTo(4);
        // One Tarantool call per page, and only with the old objects of that page.
        assertThat(references.calls).containsExactly(List.of("a/old-orphan", "a/old-referenced"),
                List.of("c/old-orphan"), List.of("c/referenced"));
    }

    @Test
    void anEmptyBucketNeedsNoCall() throws Exception {
        FakeReferences references = new FakeReferences(Set.of());
        OrphanSweeper.Result result = new OrphanSweeper(new FakeBucket(10), references, Duration.ZERO, CLOCK).sweep();
        assertThat(result.removed()).isEmpty();
        assertThat(references.calls).isEmpty();
    }

    @Test
    void aFailingReferenceCheckRemovesNothingMoreAndFails() {
        FakeBucket bucket = new FakeBucket(1, object("x", 7200), object("y", 7200));
        OrphanSweeper.References failing = names -> {
            throw new IllegalStateException("Procedure 'find_unreferenced_objects' is not defined");
        };
        assertThatThrownBy(() -> new OrphanSweeper(bucket, failing, Duration.ZERO, CLOCK).sweep())
                .hasMessageContaining("find_unreferenced_objects");
        assertThat(bucket.removed).isEmpty();
    }

    private static OrphanSweeper.StoredObject object(String name, long ageSeconds) {
        return new OrphanSweeper.StoredObject(name, NOW.minusSeconds(ageSeconds), 10);
    }

    private static final class FakeBucket implements OrphanSweeper.Bucket {
        private final int pageSize;
        private final List<OrphanSweeper.StoredObject> objects;
        final List<String> removed = new ArrayList<>();

        FakeBucket(int pageSize, OrphanSweeper.StoredObject... objects) {
            this.pageSize = pageSize;
            this.objects = List.of(objects);
        }

        @Override
        public void forEachPage(Consumer<List<OrphanSweeper.StoredObject>> page) {
            for (int i = 0; i < objects.size(); i += pageSize) {
                page.accept(objects.subList(i, Math.min(objects.size(), i + pageSize)));
            }
        }

        @Override
        public void remove(String name) {
            removed.add(name);
        }
    }

    private static final class FakeReferences implements OrphanSweeper.References {
        private final Set<String> referenced;
        final List<List<String>> calls = new ArrayList<>();

        FakeReferences(Set<String> referenced) {
            this.referenced = referenced;
        }

        @Override
        public List<String> unreferenced(List<String> names) {
            calls.add(List.copyOf(names));
            return names.stream().filter(name -> !referenced.contains(name)).toList();
        }
    }
}
