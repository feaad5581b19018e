package io.minitoolstream.camel.producer;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.WrappedFile;
import org.apache.camel.support.ExchangeHelper;

/**
 * A message body made ready for publishing: small bodies as bytes (stored inline), larger ones as a stream
 * (uploaded to object storage). A stream is never read further than the inline threshold plus one byte before
 * the choice is made, so a large body is never held in memory.
 */
public sealed interface PayloadSource permits PayloadSource.Inline, PayloadSource.Streamed {

    /** Bytes kept in the Tarantool record. */
    public record Inline(byte[] bytes) implements PayloadSource {
    }

    /** A stream for object storage; {@code size} is -1 when unknown. The publisher closes the stream. */
    public record Streamed(InputStream stream, long size) implements PayloadSource {
    }

    public static PayloadSource of(Exchange exchange, int inlineThreshold) throws InvalidPayloadException, IOException {
        Object body = exchange.getIn().getBody();
        if (body == null) {
            throw new InvalidPayloadException(exchange, byte[].class);
        }
        if (body instanceof byte[] bytes) {
            return ofBytes(bytes, inlineThreshold);
        }
        if (body instanceof String text) {
            Charset charset = Charset.forName(ExchangeHelper.getCharsetName(exchange, true));
            return ofBytes(text.getBytes(charset), inlineThreshold);
        }
        if (body instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return ofBytes(bytes, inlineThreshold);
        }
        if (body instanceof WrappedFile<?> wrapped && wrapped.getFile() instanceof File file) {
            return ofFile(file.toPath(), inlineThreshold);
        }
        if (body instanceof File file) {
            return ofFile(file.toPath(), inlineThreshold);
        }
        if (body instanceof Path path) {
            return ofFile(path, inlineThreshold);
        }
        if (body instanceof InputStream stream) {
            return ofStream(stream, inlineThreshold);
        }
        // Anything else Camel can turn into a stream (or fails here, naming the body's type).
        return ofStream(exchange.getIn().getMandatoryBody(InputStream.class), inlineThreshold);
    }

    /** Threshold 0 means every payload goes to object storage, even an empty one. */
    private static boolean fitsInline(long size, int inlineThreshold) {
        return inlineThreshold > 0 && size <= inlineThreshold;
    }

    private static PayloadSource ofBytes(byte[] bytes, int inlineThreshold) {
        return fitsInline(bytes.length, inlineThreshold)
                ? new Inline(bytes) : new Streamed(new ByteArrayInputStream(bytes), bytes.length);
    }

    private static PayloadSource ofFile(Path path, int inlineThreshold) throws IOException {
        long size = Files.size(path);
        return fitsInline(size, inlineThreshold)
                ? new Inline(Files.readAllBytes(path)) : new Streamed(Files.newInputStream(path), size);
    }

    /** Reads at most threshold + 1 bytes to learn whether the stream fits inline. */
    private static PayloadSource ofStream(InputStream stream, int inlineThreshold) throws IOException {
        if (inlineThreshold == 0) {
            return new Streamed(stream, -1);
        }
        byte[] head = stream.readNBytes(inlineThreshold + 1);
        if (head.length <= inlineThreshold) {
            stream.close();
            return new Inline(head);
        }
        return new Streamed(new SequenceInputStream(new ByteArrayInputStream(head), stream), -1);
    }
}
