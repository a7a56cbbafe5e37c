package org.gallerybench.engine.run;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivers run events to subscribers, each on its own virtual thread with its own queue: publishing never
 * blocks, and a slow or failing subscriber delays and harms no one else.
 */
public final class EventBus implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EventBus.class.getName());
    private static final RunEvent STOP = new RunEvent.RunCancelled("", Instant.EPOCH);

    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

    public AutoCloseable subscribe(Consumer<RunEvent> listener) {
        Subscriber s = new Subscriber(listener);
        subscribers.add(s);
        return () -> {
            subscribers.remove(s);
            s.queue.add(STOP);
        };
    }

    public void publish(RunEvent event) {
        for (Subscriber s : subscribers) {
            s.pending.incrementAndGet();
            s.queue.add(event);
        }
    }

    /** How long {@link #drain()} waits for the subscribers at most. */
    public static final java.time.Duration DRAIN_DEADLINE = java.time.Duration.ofSeconds(30);

    /**
     * Waits until every subscriber has handled everything published so far, or {@link #DRAIN_DEADLINE} has passed (a
     * subscriber stuck in a write must not hold the run's end forever); returns whether everything was handled.
     */
    public boolean drain() throws InterruptedException {
        return drain(DRAIN_DEADLINE);
    }

    /** As {@link #drain()}, waiting at most {@code deadline}. */
    public boolean drain(java.time.Duration deadline) throws InterruptedException {
        long until = System.nanoTime() + deadline.toNanos();
        for (Subscriber s : subscribers) {
            while (s.pending.get() > 0) {
                if (System.nanoTime() > until) {
                    return false;
                }
                Thread.sleep(5);
            }
        }
        return true;
    }

    @Override
    public void close() {
        for (Subscriber s : subscribers) {
            s.queue.add(STOP);
        }
        subscribers.clear();
    }

    private static final class Subscriber {
        final LinkedBlockingQueue<RunEvent> queue = new LinkedBlockingQueue<>();
        final AtomicLong pending = new AtomicLong();

        Subscriber(Consumer<RunEvent> listener) {
            Thread.ofVirtual().name("run-events").start(() -> {
                while (true) {
                    RunEvent e;
                    try {
                        e = queue.take();
                    } catch (InterruptedException ex) {
                        return;
                    }
                    if (e == STOP) {
                        return;
                    }
                    try {
                        listener.accept(e);
                    } catch (RuntimeException ex) {
                        LOG.log(Level.WARNING, "A run-event subscriber failed", ex);
                    } finally {
                        pending.decrementAndGet();
                    }
                }
            });
        }
    }
}
