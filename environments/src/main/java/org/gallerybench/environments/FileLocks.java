package org.gallerybench.environments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Locks that hold against every thread of this JVM and every other process on this machine, and what is made once
 * with them: whatever is cached on first use (a dataset, an AOT cache, an image) or used by one run at a time (an
 * environment's server and store). Two processes that ask at once (the dashboard and the CLI on a new machine, tests
 * side by side) never race: the second waits, then finds the first's result and adopts it.
 *
 * <p>A lock is a file: the operating system's lock on it (fcntl, released when the process ends, however it ends) keeps
 * other processes out, and a {@link ReentrantLock} per file keeps the other threads of this JVM out (the JVM itself
 * refuses a second lock on a file it already locks). That per-file map is the one piece of static state here, as the
 * lock it mirrors is the machine's. The file says who holds it, so that a waiter can say what it waits for.
 */
public final class FileLocks {
    /** This JVM's side of each lock file, by its absolute path. */
    private static final ConcurrentHashMap<Path, InJvm> IN_THIS_JVM = new ConcurrentHashMap<>();

    /** A lock file's side in this JVM: who of this JVM holds it, for a waiter here to say. */
    private static final class InJvm {
        final ReentrantLock lock = new ReentrantLock();
        volatile String holder = "another task of this process";
    }

    private FileLocks() {
    }

    /** Work that may fail with an {@link IOException}. */
    @FunctionalInterface
    public interface IoSupplier<T> {
        T get() throws IOException;
    }

    /** A lock held; {@link #close()} releases it. */
    public static final class Held implements AutoCloseable {
        private final ReentrantLock jvm;
        private final FileChannel channel;
        private final FileLock lock;

        private Held(ReentrantLock jvm, FileChannel channel, FileLock lock) {
            this.jvm = jvm;
            this.channel = channel;
            this.lock = lock;
        }

        @Override
        public void close() {
            try {
                if (lock != null) {
                    lock.release();
                    channel.close();
                }
            } catch (IOException ignored) {
                // the channel's close releases the lock in any case
            } finally {
                jvm.unlock();
            }
        }
    }

    /**
     * Takes the lock {@code lockFile} (made if missing), waiting as long as another thread or process holds it. When it
     * must wait, {@code waiting} is told first who holds it ("pid 4711, measuring local since 10:02:03").
     * Interrupting the waiting thread ends the wait with an {@link EnvironmentException}.
     *
     * @param holder what this holder is, for whoever waits next ("making the dataset of 200 images")
     */
    public static Held acquire(Path lockFile, String holder, Consumer<String> waiting) {
        Path key = lockFile.toAbsolutePath().normalize();
        InJvm here = IN_THIS_JVM.computeIfAbsent(key, k -> new InJvm());
        ReentrantLock jvm = here.lock;
        String me = "pid " + ProcessHandle.current().pid() + ", " + holder + " since " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS);
        boolean told = false;
        try {
            if (!jvm.tryLock()) {
                // Not the file: opening and closing it here would drop this process's own lock on it (POSIX).
                waiting.accept(here.holder);
                told = true;
                jvm.lockInterruptibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnvironmentException("Interrupted while waiting for " + key + ".");
        }
        if (jvm.getHoldCount() > 1) {
            return new Held(jvm, null, null); // this thread holds the file already
        }
        FileChannel channel = null;
        try {
            Files.createDirectories(key.getParent());
            channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                if (!told) {
                    waiting.accept(read(channel));
                }
                lock = channel.lock();
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((me + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            here.holder = me;
            return new Held(jvm, channel, lock);
        } catch (ClosedByInterruptException e) {
            Thread.interrupted();
            jvm.unlock();
            Thread.currentThread().interrupt();
            throw new EnvironmentException("Interrupted while waiting for " + key + ".");
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            jvm.unlock();
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new EnvironmentException("Cannot take the lock " + key + " (" + e.getMessage() + "): check that its folder is writable.", e);
        }
    }

    /**
     * The lock file of a resource of this machine that every Gallery Bench here shares, whatever its data or cache
     * folder: a port an environment serves on, an image of the Docker engine. {@code name} is made safe for a file name.
     */
    public static Path machineWide(String name) {
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_.-]", "_");
        return Path.of(System.getProperty("java.io.tmpdir"), "gallerybench-locks-" + user, name.replaceAll("[^A-Za-z0-9_.-]", "_") + ".lock");
    }

    /**
     * What is made once and kept: {@code existing} (checked first without the lock, then again under it) or else what
     * {@code make} makes under the lock {@code lockFile}. A second caller that asks while the first makes it waits,
     * then adopts the first's result (as {@code existing} finds and checks it); it never makes it a second time, and
     * never fails because the first made it.
     */
    public static <T> T once(Path lockFile, String what, IoSupplier<Optional<T>> existing, IoSupplier<T> make) throws IOException {
        Optional<T> found = existing.get();
        if (found.isPresent()) {
            return found.get();
        }
        try (Held ignored = acquire(lockFile, what, holder -> { })) {
            found = existing.get();
            return found.isPresent() ? found.get() : make.get();
        }
    }

    /** Who holds the lock file open on {@code channel}, as its holder wrote it; "another process" when it says nothing. */
    private static String read(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(512);
            channel.read(buffer, 0);
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "another process" : text;
        } catch (IOException e) {
            return "another process";
        }
    }

    /**
     * Writes {@code content} to {@code file} whole or not at all: into a temporary file of this writer's own beside it,
     * then renamed over it. Two writers at once each write their own temporary file; the last rename wins, and no
     * reader ever sees half a file.
     */
    public static void writeAtomically(Path file, byte[] content) {
        Path temp = file.resolveSibling("." + file.getFileName() + "." + ProcessHandle.current().pid() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(temp, content);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // nothing more to do
            }
            throw new UncheckedIOException(e);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing is all that was left
            }
        }
    }
}
