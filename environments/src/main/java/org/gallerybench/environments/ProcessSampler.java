package org.gallerybench.environments;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * Samples one process on this machine from /proc: CPU % (from utime + stime between readings, 100 = one core) and
 * RSS (VmRSS). The local environment uses it for its server; anything with a pid can.
 */
public final class ProcessSampler {
    private ProcessSampler() {
    }

    /** Starts sampling {@code pid} every {@code interval}; the stream fails when the process is gone. */
    public static SampleStream open(long pid, Duration interval) {
        SampleStream[] holder = new SampleStream[1];
        Thread sampler = Thread.ofVirtual().name("proc-sampler-" + pid).unstarted(() -> sample(pid, interval, holder[0]));
        holder[0] = new SampleStream(sampler::interrupt);
        sampler.start();
        return holder[0];
    }

    private static void sample(long pid, Duration interval, SampleStream out) {
        OptionalLong cpu = ProcFs.cpuTimeNanos(pid);
        long wall = System.nanoTime();
        while (!out.isClosed()) {
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
            OptionalLong cpuNow = ProcFs.cpuTimeNanos(pid);
            OptionalLong rss = ProcFs.rssBytes(pid);
            long wallNow = System.nanoTime();
            if (cpuNow.isEmpty() || rss.isEmpty() || cpu.isEmpty()) {
                out.fail(new EnvironmentException("The process " + pid + " is gone: sampling stopped."));
                return;
            }
            double percent = ProcFs.cpuPercent(cpu.getAsLong(), cpuNow.getAsLong(), wallNow - wall);
            long bytes = rss.getAsLong();
            out.publish(new ResourceSample(Instant.now(), percent, bytes, bytes, percent, bytes, "/proc"));
            cpu = cpuNow;
            wall = wallNow;
        }
    }

    /**
     * Samples a process and its descendants together (an app server's master and its workers): CPU % summed, RSS summed
     * (shared pages counted in each, as top and docker's per-process figures count them). The stream fails when the
     * root process is gone.
     */
    public static SampleStream openTree(long pid, Duration interval) {
        SampleStream[] holder = new SampleStream[1];
        Thread sampler = Thread.ofVirtual().name("proc-tree-sampler-" + pid).unstarted(() -> {
            HostProcesses tree = HostProcesses.ofTree(pid);
            SampleStream out = holder[0];
            while (!out.isClosed()) {
                try {
                    Thread.sleep(interval);
                } catch (InterruptedException e) {
                    return;
                }
                if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    out.fail(new EnvironmentException("The process " + pid + " is gone: sampling stopped."));
                    return;
                }
                HostProcesses.Reading r = tree.read();
                out.publish(new ResourceSample(Instant.now(), r.cpuPercent(), r.rssBytes(), r.rssBytes(), r.cpuPercent(), r.rssBytes(),
                        "/proc, " + r.processes() + " processes"));
            }
        });
        holder[0] = new SampleStream(sampler::interrupt);
        sampler.start();
        return holder[0];
    }
}
