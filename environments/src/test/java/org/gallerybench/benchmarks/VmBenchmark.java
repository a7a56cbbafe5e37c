package org.gallerybench.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.gallerybench.environments.ResourceSample;
import org.gallerybench.environments.SampleStream;
import org.gallerybench.environments.StartTiming;
import org.gallerybench.environments.TestServer;
import org.gallerybench.environments.TestVm;
import org.gallerybench.environments.vm.VmEnvironment;
import org.gallerybench.environments.vm.VmSettings;

/**
 * The VM (issue 4), under whatever virtualisation the machine has (pure QEMU emulation here): restart to the first
 * 200 (median of 5, with phases), boot to the first 200, the guest's used memory and the server's RSS idle and
 * under load, and the hypervisor's RSS on the host.
 */
public final class VmBenchmark {
    private VmBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Report report = new Report("vm");
        Path data = Files.createTempDirectory("gallerybench-vm-bench");
        Path runtime = org.gallerybench.environments.TestVm.runtime();
        VmSettings settings = VmSettings.vagrant(TestServer.projectRoot().resolve("environments/vagrant"), data, Optional.of(runtime))
                .withMachine(TestVm.MACHINE, TestVm.PORT);
        try (VmEnvironment vm = new VmEnvironment(settings)) {
            System.out.println("VM benchmark: Vagrant + libvirt in " + settings.vagrantDir().orElseThrow());
            boolean wasRunning = vm.isVmRunning();
            if (!wasRunning) {
                vm.upMachine(line -> { }); // creates the VM too on a fresh checkout; deploy installs the server
            }
            vm.deploy(TestServer.artifact());
            vm.start();

            report.section("Restart: sudo systemctl restart gallery over SSH, first 200 (5 times)");
            List<Double> total = new ArrayList<>();
            List<Double> command = new ArrayList<>();
            List<Double> jvm = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                StartTiming t = vm.restart();
                total.add(t.totalMillis());
                command.add(ms(t.between(StartTiming.ISSUED, StartTiming.RETURNED).orElseThrow()));
                jvm.add(ms(t.between(StartTiming.RETURNED, StartTiming.FIRST_200).orElseThrow()));
            }
            report.figure("restart_total_median_ms", Report.median(total), "ms", null);
            report.figure("restart_systemctl_median_ms", Report.median(command), "ms", null);
            report.figure("restart_returned_to_first_200_median_ms", Report.median(jvm), "ms", null);
            report.put("restart", Map.of("total_ms", Report.summary(total, "ms"), "systemctl_ms", Report.summary(command, "ms"),
                    "returned_to_first_200_ms", Report.summary(jvm, "ms")));

            report.section("Memory from top in the guest, and qemu on the host (50 images in the gallery)");
            BenchSupport.upload50Photos(vm.endpoint());
            List<ResourceSample> idle = samples(vm, 5, null);
            Thread load = Thread.ofPlatform().start(() -> Wrk.run(vm.endpoint(), 2, 16, 20));
            List<ResourceSample> loaded = samples(vm, 15, load);
            load.join();
            report.figure("guest_used_idle_mib", BenchSupport.mib(median(idle, ResourceSample::environmentMemoryBytes)), "MiB", null);
            report.figure("guest_used_under_load_mib", BenchSupport.mib(peak(loaded, ResourceSample::environmentMemoryBytes)), "MiB", null);
            report.figure("server_rss_idle_mib", BenchSupport.mib(median(idle, ResourceSample::appMemoryBytes)), "MiB", null);
            report.figure("server_rss_under_load_mib", BenchSupport.mib(peak(loaded, ResourceSample::appMemoryBytes)), "MiB", null);
            report.figure("hypervisor_rss_idle_mib", BenchSupport.mib(median(idle, ResourceSample::hostMemoryBytes)), "MiB", null);
            report.figure("hypervisor_rss_under_load_mib", BenchSupport.mib(peak(loaded, ResourceSample::hostMemoryBytes)), "MiB", null);
            report.figure("hypervisor_cpu_under_load_percent", loaded.stream().mapToDouble(ResourceSample::hostCpuPercent)
                    .filter(d -> !Double.isNaN(d)).max().orElse(Double.NaN), "%", null);

            int boots = Integer.getInteger("gallerybench.bench.boots", 3);
            report.section("Boot: vagrant halt, then vagrant up to the first 200 (" + boots + " times)");
            List<Double> bootTotal = new ArrayList<>();
            List<Double> bootUp = new ArrayList<>();
            List<Double> bootServer = new ArrayList<>();
            for (int i = 0; i < boots; i++) {
                vm.halt();
                StartTiming boot = vm.boot(line -> { });
                bootTotal.add(boot.totalMillis() / 1000);
                bootUp.add(ms(boot.between(StartTiming.ISSUED, StartTiming.RETURNED).orElseThrow()) / 1000);
                bootServer.add(ms(boot.between(StartTiming.RETURNED, StartTiming.FIRST_200).orElseThrow()) / 1000);
            }
            report.figure("boot_to_first_200_median_s", Report.median(bootTotal), "s", null);
            report.figure("boot_vagrant_up_median_s", Report.median(bootUp), "s", null);
            report.figure("boot_up_returned_to_first_200_median_s", Report.median(bootServer), "s", null);
            report.put("boot", Map.of("total_s", Report.summary(bootTotal, "s"), "vagrant_up_s", Report.summary(bootUp, "s"),
                    "up_returned_to_first_200_s", Report.summary(bootServer, "s")));
            if (!wasRunning) {
                vm.halt(); // leave it as it was found: an idle emulated VM still costs CPU
            }
        } finally {
            BenchSupport.deleteTree(data);
        }
        report.write();
    }

    private static List<ResourceSample> samples(VmEnvironment vm, int n, Thread until) throws InterruptedException {
        List<ResourceSample> out = new ArrayList<>();
        try (SampleStream top = vm.openSampler(Duration.ofSeconds(1))) {
            while (out.size() < n && (until == null || until.isAlive())) {
                top.poll(Duration.ofSeconds(15)).ifPresent(out::add);
            }
        }
        return out;
    }

    private static long median(List<ResourceSample> samples, java.util.function.ToLongFunction<ResourceSample> f) {
        return (long) Report.median(samples.stream().map(s -> (double) f.applyAsLong(s)).toList());
    }

    private static long peak(List<ResourceSample> samples, java.util.function.ToLongFunction<ResourceSample> f) {
        return samples.stream().mapToLong(f).max().orElse(0);
    }

    private static double ms(Duration d) {
        return d.toNanos() / 1e6;
    }
}
