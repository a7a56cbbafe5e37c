package org.gallerybench.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs Debian's wrk (HTTP/1.1; ApacheBench's HTTP/1.0 gets 505 from Helidon) and reads its figures. */
public final class Wrk {
    private Wrk() {
    }

    /** One wrk run's figures; latencies in milliseconds. */
    public record Result(double requestsPerSecond, double p50Millis, double p90Millis, double p99Millis, long requests, long errors,
                  long non2xx) {
    }

    public static Result run(URI url, int threads, int connections, int seconds, String... extra) {
        List<String> command = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--latency"));
        command.addAll(List.of(extra));
        command.add(url.toString());
        try {
            org.gallerybench.environments.Command.Result r = org.gallerybench.environments.Command.of(command)
                    .deadline(java.time.Duration.ofSeconds(seconds + 60L)).run();
            if (!r.ok()) {
                throw new IllegalStateException("wrk failed (" + r.how() + "): " + r.output());
            }
            return parse(r.output());
        } catch (IOException e) {
            throw new IllegalStateException("cannot run wrk (apt-get install wrk): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Result parse(String out) {
        double rps = number(out, "Requests/sec:\\s+([\\d.]+)");
        long requests = (long) number(out, "(\\d+) requests in");
        long errors = 0;
        Matcher socket = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)").matcher(out);
        if (socket.find()) {
            for (int i = 1; i <= 4; i++) {
                errors += Long.parseLong(socket.group(i));
            }
        }
        Matcher non2xx = Pattern.compile("Non-2xx or 3xx responses: (\\d+)").matcher(out);
        long bad = non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0;
        return new Result(rps, latency(out, "50%"), latency(out, "90%"), latency(out, "99%"), requests, errors, bad);
    }

    private static double latency(String out, String percentile) {
        Matcher m = Pattern.compile("\\s" + percentile + "\\s+([\\d.]+)(us|ms|s)").matcher(out);
        if (!m.find()) {
            return Double.NaN;
        }
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }

    private static double number(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("unexpected wrk output:\n" + out);
        }
        return Double.parseDouble(m.group(1));
    }
}
