package io.minitoolstream.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.google.protobuf.ByteString;
import io.minitoolstream.devservices.DevServices;
import io.minitoolstream.devservices.DevServicesExtension;
import io.minitoolstream.devservices.GeneratedStream;
import io.minitoolstream.grpc.PublishRequest;
import io.minitoolstream.grpc.PublishResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** The file drop: inbox -> minitoolstream:files -> durable consumer -> outbox. */
@ExtendWith(DevServicesExtension.class)
class FileDropTest {

    private static RunningApp app;
    private static Path inbox;
    private static Path outbox;

    @BeforeAll
    static void start(DevServices services) throws Exception {
        app = RunningApp.start(services, Map.of("minitoolstream.files.enabled", "true"));
        inbox = app.dataDir.resolve("inbox");
        outbox = app.dataDir.resolve("outbox");
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void aFiftyMegabyteFileArrivesInTheOutboxUnchanged() throws Exception {
        long size = 50L * 1024 * 1024 + 123;
        Path staged = app.dataDir.resolve("staged.bin");
        try (InputStream in = new GeneratedStream(size, 42); OutputStream out = Files.newOutputStream(staged)) {
            in.transferTo(out);
        }
        Files.createDirectories(inbox);
        // Appears in the inbox complete, as a producer writing elsewhere and renaming would do.
        Files.move(staged, inbox.resolve("big input.bin"), StandardCopyOption.ATOMIC_MOVE);

        Path delivered = outbox.resolve("big input.bin");
        assertThat(SubscribeTest.waitUntil(() -> Files.isRegularFile(delivered) && sizeOf(delivered) == size,
                Duration.ofSeconds(60))).as("the file reached the outbox").isTrue();
        assertThat(TestFiles.sha256(delivered)).isEqualTo(GeneratedStream.sha256Of(size, 42));
        // The inbox file was moved aside once published.
        assertThat(inbox.resolve(".published").resolve("big input.bin")).exists();
        assertThat(inbox.resolve("big input.bin")).doesNotExist();
    }

    @Test
    void aHostileFileNameHeaderCannotEscapeTheOutbox() throws Exception {
        long traversal = publish("../../escape-" + app.filesSubject + ".txt", "traversal");
        long dotDot = publish("..", "dot-dot");
        long absolute = publish("/tmp/absolute-" + app.filesSubject + ".txt", "absolute");
        long hidden = publish(".bashrc", "hidden");

        Path escaped = outbox.resolve("escape-" + app.filesSubject + ".txt");
        Path fallback = outbox.resolve(dotDot + ".bin");
        Path stripped = outbox.resolve("absolute-" + app.filesSubject + ".txt");
        Path hiddenFallback = outbox.resolve(hidden + ".bin");
        assertThat(SubscribeTest.waitUntil(() -> Files.exists(escaped) && Files.exists(fallback)
                && Files.exists(stripped) && Files.exists(hiddenFallback), Duration.ofSeconds(30)))
                .as("all four were written into the outbox").isTrue();
        assertThat(Files.readString(escaped)).isEqualTo("traversal");
        assertThat(Files.readString(fallback)).isEqualTo("dot-dot");
        assertThat(Files.readString(stripped)).isEqualTo("absolute");

        // Nothing landed outside the outbox.
        assertThat(app.dataDir.getParent().resolve("escape-" + app.filesSubject + ".txt")).doesNotExist();
        assertThat(app.dataDir.resolve("escape-" + app.filesSubject + ".txt")).doesNotExist();
        assertThat(Path.of("/tmp/absolute-" + app.filesSubject + ".txt")).doesNotExist();
        assertThat(outbox.resolve(".bashrc")).doesNotExist();
        try (Stream<Path> files = Files.list(outbox)) {
            List<String> names = files.map(path -> path.getFileName().toString()).toList();
            assertThat(names).noneMatch(name -> name.startsWith(".part-"));
        }
        assertThat(traversal).isLessThan(absolute);
    }

    private static long publish(String fileName, String text) {
        PublishResponse response = app.ingress().publish(PublishRequest.newBuilder().setSubject(app.filesSubject)
                .putHeaders(Keys.FILE_NAME_HEADER, fileName).setData(ByteString.copyFromUtf8(text)).build());
        assertThat(response.getStatusCode()).as(response.getErrorMessage()).isZero();
        return response.getSequence();
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}
