package org.gallerybench.environments.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Real outputs of top, captured on these machines and kept as fixtures (src/test/resources/top):
 * procps-ng 4.0.2 (Debian 12) in its default KiB/MiB form, with -E/-e k, m and g, and under a German locale
 * with decimal commas; procps-ng 3.3.17 (the procps of Ubuntu 22.04; captured in a Debian 11 chroot), and
 * busybox 1.35 top. Each follows one java process (pid 7531) while wrk loaded it.
 */
class TopParserTest {
    static final long PID = 7531;
    static final long MIB = 1L << 20;

    @Test
    void procps4Debian12Default() {
        List<TopParser.Frame> frames = TopParser.parseAll(PID, fixture("procps4-debian12.txt"));
        assertThat(frames).hasSize(3);
        TopParser.Frame second = frames.get(1);
        assertThat(second.cpuPercent()).hasValue(12.0);
        assertThat(second.rssBytes()).hasValue(74984L * 1024);
        // MiB Mem : 24105.6 total ... / MiB Swap: ... 23489.7 avail Mem -> used = total - avail
        assertThat(second.guestTotalBytes().getAsLong()).isCloseTo((long) (24105.6 * MIB), within(MIB));
        assertThat(second.guestUsedBytes().getAsLong()).isCloseTo((long) ((24105.6 - 23489.7) * MIB), within(MIB));
    }

    @Test
    void procps4WithKibMibAndGibScaling() {
        TopParser.Frame kib = TopParser.parseAll(PID, fixture("procps4-kib.txt")).getLast();
        assertThat(kib.rssBytes()).hasValue(80340L * 1024);
        assertThat(kib.cpuPercent()).hasValue(77.0);
        assertThat(kib.guestTotalBytes().getAsLong()).isGreaterThan(20_000 * MIB);

        TopParser.Frame mib = TopParser.parseAll(PID, fixture("procps4-mib.txt")).getLast();
        assertThat(mib.rssBytes().getAsLong()).isBetween(60 * MIB, 120 * MIB);

        TopParser.Frame gib = TopParser.parseAll(PID, fixture("procps4-gib.txt")).getLast();
        assertThat(gib.rssBytes().getAsLong()).isEqualTo((long) (0.1 * (1L << 30))); // "0.1g"
        assertThat(gib.guestTotalBytes().getAsLong()).isCloseTo(23L << 30, within(1L << 30));
    }

    @Test
    void anAppOfSeveralProcessesIsTheirSumAndAFrameWithOneGoneStillCounts() {
        List<TopParser.Frame> frames = new java.util.ArrayList<>();
        TopParser parser = new TopParser(List.of(612L, 613L), frames::add);
        fixture("procps4-two-processes.txt").lines().forEach(parser::accept);
        // Each of the first two frames is reported as soon as both rows are in, in either order.
        assertThat(frames).hasSize(2);
        assertThat(frames.get(1).cpuPercent()).hasValue(93.0);
        assertThat(frames.get(1).rssBytes()).hasValue((31168L + 22680L) * 1024);
        parser.finish(); // the worker had gone: the last frame has the master alone
        assertThat(frames).hasSize(3);
        assertThat(frames.get(2).rssBytes()).hasValue(22680L * 1024);
    }

    @Test
    void localizedHeadersAndDecimalCommas() {
        TopParser.Frame de = TopParser.parseAll(PID, fixture("procps4-de.txt")).getLast();
        // "MiB Spch:  24105,6 total" and "%CPU ... ZEIT+ BEFEHL" with "67,0"
        assertThat(de.cpuPercent()).hasValue(67.0);
        assertThat(de.rssBytes()).hasValue(80676L * 1024);
        assertThat(de.guestTotalBytes().getAsLong()).isCloseTo((long) (24105.6 * MIB), within(MIB));
        assertThat(de.guestUsedBytes()).isPresent();
    }

    @Test
    void procps33AsOnUbuntu2204() {
        List<TopParser.Frame> frames = TopParser.parseAll(PID, fixture("procps3-bullseye.txt"));
        assertThat(frames).hasSize(2);
        assertThat(frames.getLast().cpuPercent()).hasValue(114.9);
        assertThat(frames.getLast().rssBytes()).hasValue(83896L * 1024);
        // procps 3.3 says 386.2 used; total - avail (24105.6 - 23398.6) is what procps 4 would say
        assertThat(frames.getLast().guestUsedBytes().getAsLong()).isCloseTo((long) ((24105.6 - 23398.6) * MIB), within(MIB));

        TopParser.Frame mib = TopParser.parseAll(PID, fixture("procps3-mib.txt")).getLast();
        assertThat(mib.rssBytes().getAsLong()).isCloseTo((long) (81.9 * MIB), within(MIB / 10)); // "81.9m"
        assertThat(mib.cpuPercent()).hasValue(119.0);
    }

    @Test
    void busyboxTop() {
        List<TopParser.Frame> frames = TopParser.parseAll(PID, fixture("busybox.txt"));
        assertThat(frames).hasSize(2);
        TopParser.Frame f = frames.getLast();
        assertThat(f.cpuPercent()).isPresent();
        assertThat(f.rssBytes()).as("busybox top has no resident-size column").isEmpty();
        assertThat(f.guestUsedBytes().getAsLong()).isPositive().isLessThan(f.guestTotalBytes().getAsLong());
    }

    @Test
    void framesArriveLineByLineAsTopPrintsThem() {
        List<TopParser.Frame> seen = new java.util.ArrayList<>();
        TopParser parser = new TopParser(PID, seen::add);
        String[] lines = fixture("procps4-debian12.txt").split("\n");
        int firstRow = -1;
        for (int i = 0; i < lines.length; i++) {
            parser.accept(lines[i]);
            if (firstRow < 0 && lines[i].trim().startsWith(Long.toString(PID))) {
                firstRow = i;
                assertThat(seen).as("a frame is reported as soon as its process row arrives").hasSize(1);
            }
        }
        assertThat(firstRow).isPositive();
    }

    @Test
    void processMemorySuffixes() {
        assertThat(TopParser.processMemory("70396")).isEqualTo(70396L * 1024);
        assertThat(TopParser.processMemory("81.9m")).isEqualTo((long) (81.9 * MIB));
        assertThat(TopParser.processMemory("1,5g")).isEqualTo(3L << 29);
    }

    static String fixture(String name) {
        try (InputStream in = TopParserTest.class.getResourceAsStream("/top/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
