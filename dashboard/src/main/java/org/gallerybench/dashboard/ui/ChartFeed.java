package org.gallerybench.dashboard.ui;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.gallerybench.engine.report.Charts;

/**
 * The live charts' data: points arrive from the run's event thread into a queue; the view drains the queue once
 * per frame (an AnimationTimer) and redraws each touched series once. Every series is a {@link BoundedSeries}.
 */
public final class ChartFeed {
    /** A line of a chart: which environment, and which figure ("cpu", "app", "environment", "p50", "p95", "p99", "rps"). */
    public record Key(Charts.Kind chart, String environment, String figure) {
    }

    private record Point(Key key, double x, double y) {
    }

    private final int capacity;
    private final ConcurrentLinkedQueue<Point> incoming = new ConcurrentLinkedQueue<>();
    private final Map<Charts.Kind, Map<Key, BoundedSeries>> series = new EnumMap<>(Charts.Kind.class);
    private volatile boolean resetRequested;
    private volatile List<String> expected = List.of();

    public ChartFeed(int capacity) {
        this.capacity = capacity;
        for (Charts.Kind k : Charts.Kind.values()) {
            series.put(k, new LinkedHashMap<>());
        }
    }

    /** From any thread. */
    public void add(Key key, double x, double y) {
        if (!Double.isNaN(y)) {
            incoming.add(new Point(key, x, y));
        }
    }

    /** From any thread: empty every chart at the next drain. */
    public void reset() {
        incoming.clear();
        resetRequested = true;
    }

    /** The environments the charts will show (their lines appear at once, marked "no data" until points come). */
    public void expect(List<String> environments) {
        expected = List.copyOf(environments);
    }

    public List<String> expected() {
        return expected;
    }

    /** Every line an environment has on a chart. */
    public static List<Key> keys(Charts.Kind chart, String environment) {
        return switch (chart) {
            case CPU -> List.of(new Key(chart, environment, "cpu"));
            case MEMORY -> List.of(new Key(chart, environment, "app"), new Key(chart, environment, "environment"));
            case LATENCY -> List.of(new Key(chart, environment, "p50"), new Key(chart, environment, "p95"), new Key(chart, environment, "p99"));
            case THROUGHPUT -> List.of(new Key(chart, environment, "rps"));
        };
    }

    /** What changed since the last drain, for the view to apply. */
    public record Changes(boolean reset, List<Key> touched) {
        public boolean isEmpty() {
            return !reset && touched.isEmpty();
        }
    }

    /** Moves queued points into the series; call from one thread (the view's frame timer). */
    public Changes drain() {
        boolean reset = resetRequested;
        if (reset) {
            resetRequested = false;
            series.values().forEach(Map::clear);
        }
        List<Key> touched = new ArrayList<>();
        Point p;
        while ((p = incoming.poll()) != null) {
            Key key = p.key();
            series.get(key.chart()).computeIfAbsent(key, k -> new BoundedSeries(capacity)).add(p.x(), p.y());
            if (!touched.contains(key)) {
                touched.add(key);
            }
        }
        return new Changes(reset, touched);
    }

    public Map<Key, BoundedSeries> series(Charts.Kind chart) {
        return series.get(chart);
    }

    /** Points held in all series: bounded by capacity x series, whatever the run's length. */
    public int pointCount() {
        return series.values().stream().flatMap(m -> m.values().stream()).mapToInt(BoundedSeries::size).sum();
    }
}
