package org.gallerybench.environments;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import java.time.Instant;

/**
 * Resource samples as they are read. A producer (a thread, a stats stream, an SSH channel) {@link #publish}es;
 * a consumer takes them with {@link #poll}, {@link #drain} or as a {@link #stream()}. Closing it stops the
 * producer and ends the stream. A producer failure ends the stream too, and {@link #failure()} says why.
 */
public class SampleStream implements AutoCloseable {
    /** Beyond this many unread samples the oldest are dropped: a slow reader never grows memory. */
    private static final int CAPACITY = 4096;
    private static final ResourceSample END = new ResourceSample(Instant.EPOCH, 0, -1, -1, Double.NaN, -1, "end");

    private final LinkedBlockingQueue<ResourceSample> queue = new LinkedBlockingQueue<>();
    private final Runnable onClose;
    private volatile boolean closed;
    private volatile EnvironmentException failure;

    public SampleStream(Runnable onClose) {
        this.onClose = onClose;
    }

    /** Adds a sample; ignored once closed. */
    public void publish(ResourceSample sample) {
        if (closed) {
            return;
        }
        while (queue.size() >= CAPACITY) {
            queue.poll();
        }
        queue.add(sample);
    }

    /** Ends the stream because the producer failed. */
    public void fail(EnvironmentException why) {
        failure = why;
        end();
    }

    /** The next sample, waiting up to {@code timeout}; empty on timeout or at the end. */
    public Optional<ResourceSample> poll(Duration timeout) throws InterruptedException {
        ResourceSample s = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (s == END) {
            queue.add(END);
            return Optional.empty();
        }
        return Optional.ofNullable(s);
    }

    /** Every sample available now, without waiting. */
    public List<ResourceSample> drain() {
        List<ResourceSample> out = new ArrayList<>();
        queue.drainTo(out);
        if (out.remove(END)) {
            queue.add(END);
        }
        return out;
    }

    /** The samples as a blocking stream that ends when this is closed or the producer fails. */
    public Stream<ResourceSample> stream() {
        Iterator<ResourceSample> it = new Iterator<>() {
            private ResourceSample next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    try {
                        next = queue.take();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        next = END;
                    }
                    if (next == END) {
                        queue.add(END);
                    }
                }
                return next != END;
            }

            @Override
            public ResourceSample next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ResourceSample s = next;
                next = null;
                return s;
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    public boolean isClosed() {
        return closed;
    }

    public Optional<EnvironmentException> failure() {
        return Optional.ofNullable(failure);
    }

    private void end() {
        if (!closed) {
            closed = true;
            queue.add(END);
        }
    }

    @Override
    public void close() {
        boolean wasOpen = !closed;
        end();
        if (wasOpen || failure != null) {
            onClose.run();
        }
    }
}
