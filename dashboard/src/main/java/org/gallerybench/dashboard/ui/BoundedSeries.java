package org.gallerybench.dashboard.ui;

import java.util.ArrayList;
import java.util.List;

/**
 * A chart series that never grows past a bound: when full, the older half is downsampled two to one (averaging
 * neighbours), so an hour-long run keeps its whole shape at falling resolution and memory stays flat.
 */
public final class BoundedSeries {
    private final int capacity;
    private final List<double[]> points = new ArrayList<>();

    public BoundedSeries(int capacity) {
        if (capacity < 8) {
            throw new IllegalArgumentException("capacity must be at least 8");
        }
        this.capacity = capacity;
    }

    /**
     * Adds a point; returns true if older points were merged (the chart must redraw the whole series). A point before
     * the last one in x (a late sample of a round that has ended) is dropped: a line never runs backwards.
     */
    public boolean add(double x, double y) {
        if (!points.isEmpty() && x < points.getLast()[0]) {
            return false;
        }
        points.add(new double[] {x, y});
        if (points.size() <= capacity) {
            return false;
        }
        int half = points.size() / 2;
        List<double[]> merged = new ArrayList<>(capacity);
        for (int i = 0; i + 1 < half; i += 2) {
            double[] a = points.get(i);
            double[] b = points.get(i + 1);
            merged.add(new double[] {a[0], (a[1] + b[1]) / 2}); // the bucket keeps its start, so the line still begins at the run's start
        }
        if (half % 2 == 1) {
            merged.add(points.get(half - 1));
        }
        merged.addAll(points.subList(half, points.size()));
        points.clear();
        points.addAll(merged);
        return true;
    }

    public int size() {
        return points.size();
    }

    public List<double[]> points() {
        return List.copyOf(points);
    }

    public void clear() {
        points.clear();
    }
}
