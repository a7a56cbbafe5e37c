package org.gallerybench.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A benchmark's figures: printed as they come, then written as JSON. */
public final class Report {
    private final String name;
    private final Map<String, Object> figures = new LinkedHashMap<>();

    public Report(String name) {
        this.name = name;
        figures.put("benchmark", name);
        figures.put("startedAt", Instant.now().toString());
        figures.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(), "java", System.getProperty("java.version"),
                "os", System.getProperty("os.name") + " " + System.getProperty("os.version")));
    }

    /** Records a figure and prints it; {@code target} is a short "<= 700 ms" for the line, or null. */
    public void figure(String key, double value, String unit, String target) {
        figures.put(key, Map.of("value", round(value), "unit", unit));
        System.out.printf(Locale.ROOT, "  %-52s %12.2f %-6s %s%n", key, value, unit, target == null ? "" : "(target " + target + ")");
    }

    public void put(String key, Object value) {
        figures.put(key, value);
    }

    public void section(String title) {
        System.out.println();
        System.out.println(title);
    }

    public Path write() {
        Path out = Path.of(System.getProperty("gallerybench.benchmarks", "target/benchmarks")).resolve(name + ".json");
        try {
            Files.createDirectories(out.getParent());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), figures);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println();
        System.out.println("Written: " + out.toAbsolutePath());
        return out;
    }

    public static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    public static Map<String, Object> summary(List<Double> values, String unit) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("median", round(median(values)));
        m.put("min", round(values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN)));
        m.put("max", round(values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN)));
        m.put("unit", unit);
        m.put("samples", values.stream().map(Report::round).toList());
        return m;
    }

    public static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    static String list(double... values) {
        return Arrays.toString(Arrays.stream(values).map(Report::round).toArray());
    }
}
