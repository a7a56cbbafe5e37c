package org.gallerybench.environments.vm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads {@code top} in batch mode, line by line as frames arrive, and reports one {@link Frame} per refresh for
 * one process, or the sum of a few (an app whose master forks workers: {@code top -p A,B,C}). It reads procps-ng 3.3 (Ubuntu 22.04, Debian 11) and 4.x (Debian 12), and busybox top; summary
 * memory in KiB, MiB, GiB (top -E) and process memory with m, g, t suffixes (top -e); localized headers and
 * decimal commas (LC_NUMERIC=de_DE prints "24105,6").
 *
 * <p>Guest used memory is reported as total minus available (the kernel's MemAvailable, which procps prints as
 * "avail Mem"): procps 4 computes its "used" that way, but 3.3 computes it as total - free - buff/cache, so the
 * same guest would read differently depending on its top. Where there is no "avail" (busybox), it is used minus
 * buffers minus cache.
 */
public final class TopParser {
    private static final Pattern SUMMARY = Pattern.compile("^(KiB|MiB|GiB|TiB|PiB|EiB)\\s+(\\S+)\\s*:(.*)$");
    private static final Pattern FIGURE = Pattern.compile("([0-9]+(?:[.,][0-9]+)?)\\+?\\s*(total|free|used\\.?|buff/cache|buffers|avail)");
    private static final Pattern BUSYBOX_MEM = Pattern.compile("^Mem:\\s+(.*)$");
    private static final Pattern BUSYBOX_FIGURE = Pattern.compile("([0-9]+)([KMGT]?)\\s+(used|free|shrd|buff|cached)");

    /** One refresh of top for one process. Empty fields were not in this frame (e.g. the process had gone). */
    public record Frame(OptionalDouble cpuPercent, OptionalLong rssBytes, OptionalLong guestUsedBytes, OptionalLong guestTotalBytes) {
    }

    private final Set<String> pids;
    private final Consumer<Frame> sink;
    private Builder frame;
    private int cpuColumn = -1;
    private int resColumn = -1;
    private int summaryLines;
    private int rowsSeen;

    /** Frames for process {@code pid} go to {@code sink}, in order, on the caller's thread. */
    public TopParser(long pid, Consumer<Frame> sink) {
        this(List.of(pid), sink);
    }

    /**
     * Frames summing processes {@code pids} (CPU and RSS added up) go to {@code sink}: a frame is reported once every
     * process has its row, or when the next frame begins (one of them had gone).
     */
    public TopParser(List<Long> pids, Consumer<Frame> sink) {
        this.pids = pids.stream().map(String::valueOf).collect(Collectors.toUnmodifiableSet());
        this.sink = sink;
    }

    /** Parses all of a captured output and returns its frames. */
    public static List<Frame> parseAll(long pid, String output) {
        List<Frame> frames = new ArrayList<>();
        TopParser parser = new TopParser(pid, frames::add);
        output.lines().forEach(parser::accept);
        parser.finish();
        return frames;
    }

    /** Feeds one line. */
    public void accept(String raw) {
        String line = raw.stripTrailing();
        if (line.startsWith("top - ")) {
            startFrame();
            return;
        }
        Matcher busybox = BUSYBOX_MEM.matcher(line);
        if (busybox.matches()) {
            startFrame();
            parseBusyboxMemory(busybox.group(1));
            return;
        }
        if (frame == null) {
            return;
        }
        Matcher summary = SUMMARY.matcher(line.strip());
        if (summary.matches()) {
            parseSummary(summary.group(1), summary.group(3));
            return;
        }
        List<String> cells = List.of(line.strip().split("\\s+"));
        if (cells.contains("PID") && cells.stream().anyMatch(c -> c.equals("%CPU") || c.equals("CPU%"))) {
            cpuColumn = cells.indexOf("%CPU") >= 0 ? cells.indexOf("%CPU") : cells.indexOf("CPU%");
            resColumn = cells.indexOf("RES");
            if (resColumn < 0) {
                resColumn = cells.indexOf("RSS");
            }
            return;
        }
        if (cpuColumn >= 0 && !cells.isEmpty() && pids.contains(cells.getFirst())) {
            if (cpuColumn < cells.size()) {
                frame.cpu = OptionalDouble.of(frame.cpu.orElse(0) + number(cells.get(cpuColumn).replace("%", "")));
            }
            if (resColumn >= 0 && resColumn < cells.size()) {
                frame.rss = OptionalLong.of(frame.rss.orElse(0) + processMemory(cells.get(resColumn)));
            }
            if (++rowsSeen == pids.size()) {
                emit();
            }
        }
    }

    /** Ends the input: a frame still open is reported. */
    public void finish() {
        emit();
    }

    private void startFrame() {
        emit();
        frame = new Builder();
        summaryLines = 0;
        rowsSeen = 0;
    }

    private void emit() {
        if (frame != null) {
            sink.accept(frame.build());
            frame = null;
        }
    }

    /** "MiB Mem :  24105.6 total,  19032.2 free,    615.9 used,   4765.8 buff/cache" and the swap line after it. */
    private void parseSummary(String unit, String figures) {
        summaryLines++;
        long scale = switch (unit) {
            case "KiB" -> 1L << 10;
            case "MiB" -> 1L << 20;
            case "GiB" -> 1L << 30;
            case "TiB" -> 1L << 40;
            case "PiB" -> 1L << 50;
            default -> 1L << 60;
        };
        Matcher m = FIGURE.matcher(figures);
        while (m.find()) {
            long bytes = (long) (number(m.group(1)) * scale);
            switch (m.group(2)) {
                case "total" -> {
                    if (summaryLines == 1) {
                        frame.total = bytes;
                    }
                }
                case "free" -> {
                    if (summaryLines == 1) {
                        frame.free = bytes;
                    }
                }
                case "used", "used." -> {
                    if (summaryLines == 1) {
                        frame.used = bytes;
                    }
                }
                case "buff/cache", "buffers" -> {
                    if (summaryLines == 1) {
                        frame.cache = bytes;
                    }
                }
                case "avail" -> frame.available = bytes; // on the swap line, "NNN avail Mem"
                default -> {
                }
            }
        }
    }

    /** "Mem: 6893412K used, 17790672K free, 8872K shrd, 21400K buff, 6344760K cached" */
    private void parseBusyboxMemory(String figures) {
        Matcher m = BUSYBOX_FIGURE.matcher(figures);
        long buffers = 0;
        long cached = 0;
        while (m.find()) {
            long scale = switch (m.group(2)) {
                case "M" -> 1L << 20;
                case "G" -> 1L << 30;
                case "T" -> 1L << 40;
                default -> 1L << 10; // busybox prints K, or bare kilobytes
            };
            long bytes = Long.parseLong(m.group(1)) * scale;
            switch (m.group(3)) {
                case "used" -> frame.used = bytes;
                case "free" -> frame.free = bytes;
                case "buff" -> buffers = bytes;
                case "cached" -> cached = bytes;
                default -> {
                }
            }
        }
        if (frame.used >= 0) {
            frame.total = frame.used + Math.max(0, frame.free);
            frame.used = Math.max(0, frame.used - buffers - cached);
            frame.busybox = true;
        }
    }

    /** Process memory: KiB by default, or with an m, g, t (or k, p) suffix. */
    static long processMemory(String cell) {
        String c = cell.toLowerCase(Locale.ROOT);
        char last = c.charAt(c.length() - 1);
        long scale = switch (last) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            case 't' -> 1L << 40;
            case 'p' -> 1L << 50;
            default -> -1;
        };
        if (scale < 0) {
            return (long) (number(c) * 1024);
        }
        return (long) (number(c.substring(0, c.length() - 1)) * scale);
    }

    /** A number with a decimal point or a decimal comma. */
    static double number(String s) {
        return Double.parseDouble(s.replace(',', '.'));
    }

    private static final class Builder {
        OptionalDouble cpu = OptionalDouble.empty();
        OptionalLong rss = OptionalLong.empty();
        long total = -1;
        long free = -1;
        long used = -1;
        long cache = -1;
        long available = -1;
        boolean busybox;

        Frame build() {
            OptionalLong guestUsed;
            if (total >= 0 && available >= 0) {
                guestUsed = OptionalLong.of(Math.max(0, total - available));
            } else if (used >= 0) {
                guestUsed = OptionalLong.of(used);
            } else {
                guestUsed = OptionalLong.empty();
            }
            return new Frame(cpu, rss, guestUsed, total >= 0 ? OptionalLong.of(total) : OptionalLong.empty());
        }
    }
}
