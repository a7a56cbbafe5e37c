package org.gallerybench.engine.run;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The warnings a finished run's result carries, from what each environment's result says: a failure or a broken-off
 * load, a capacity search the generator limited, the load's own warnings and errors, and, first, figures that come from
 * an emulated VM. One place, so the CLI, the dashboard and every report say the same.
 */
final class RunWarnings {
    private RunWarnings() {
    }

    /**
     * @param results    the environments' results, in the plan's order
     * @param emulated   which of them ran in a VM under emulation (no usable KVM here)
     * @param kvm        what the machine says of KVM, for the emulation warning
     * @param runFailure the run's own failure, or null
     */
    static List<String> of(List<EnvironmentResult> results, Predicate<EnvironmentResult> emulated, String kvm, String runFailure) {
        List<String> warnings = new ArrayList<>();
        for (EnvironmentResult r : results) {
            if (emulated.test(r)) {
                warnings.add(r.displayName() + ": " + Fingerprint.EMULATION_WARNING + ". KVM " + kvm + ".");
            }
        }
        if (runFailure != null) {
            warnings.add("The run failed: " + runFailure);
        }
        for (EnvironmentResult r : results) {
            if (r.failure() != null) {
                warnings.add(r.displayName() + (r.hasData() ? ": " : " was not measured: ") + r.failure());
            }
            if (r.capacity() != null && r.capacity().generatorLimited()) {
                warnings.add(r.displayName() + ": the generator, not the server, was the limit. " + r.capacity().note());
            }
            if (r.load() != null && r.capacity() == null) {
                r.load().warnings().forEach(w -> warnings.add(r.displayName() + ": " + w));
                if (r.load().errors() > 0) {
                    warnings.add(r.displayName() + ": " + r.load().errors() + " requests failed: " + r.load().describeErrors());
                }
            }
        }
        return List.copyOf(warnings);
    }
}
