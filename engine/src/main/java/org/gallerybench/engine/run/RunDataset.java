package org.gallerybench.engine.run;

import org.gallerybench.engine.BenchException;
import org.gallerybench.engine.load.Requests;
import org.gallerybench.engine.load.Workload;

import java.nio.file.Path;
import java.util.List;

import org.gallerybench.environments.Dataset;
import org.gallerybench.environments.Environment;
import org.gallerybench.environments.StoreControl;
import java.io.UncheckedIOException;
import org.gallerybench.environments.StoreListing;

/**
 * The run's one gallery: made (or found in the cache) once, set as every environment's store before its rounds and
 * after the run, and checked before every load. Environments that cannot set a store ({@link StoreControl}) and a run
 * without a dataset (size 0) are left as they are.
 */
final class RunDataset {
    private final Dataset dataset;

    private RunDataset(Dataset dataset) {
        this.dataset = dataset;
    }

    /** The plan's dataset, made under {@code cacheRoot} unless it is there; none for a plan of size 0. */
    static RunDataset of(RunPlan plan, Path cacheRoot) {
        if (plan.datasetSize() == 0) {
            return new RunDataset(null);
        }
        try {
            // Its record names what the load uploads too, so that a store reset knows those files for the tool's own.
            return new RunDataset(Dataset.ensure(cacheRoot, Dataset.GALLERY_SEED, plan.datasetSize())
                    .withUpload(Workload.validPng(plan.load().uploadBytes())));
        } catch (UncheckedIOException e) {
            throw new BenchException("Cannot make the benchmark's " + plan.datasetSize() + " images: " + e.getMessage()
                    + ". Free some disk space, or set GALLERYBENCH_CACHE to another folder.", e);
        }
    }

    /** Before the dataset is known (a run that failed making it). */
    static RunDataset none() {
        return new RunDataset(null);
    }

    boolean applies(Environment env) {
        return dataset != null && env instanceof StoreControl;
    }

    /** "setting its gallery to the run's 200 images", for the phase line. */
    String describe() {
        return "setting its gallery to the run's " + dataset.count() + " images";
    }

    /** Sets the environment's store to exactly the dataset (its server stopped); a line for the log. */
    String reset(Environment env) {
        return ((StoreControl) env).resetStore(dataset);
    }

    /**
     * Proves, before a load, that the environment serves exactly the dataset: the total of /api/images and a digest of
     * its names. An environment serving anything else is not measured.
     */
    void verify(Environment env, Requests requests) {
        if (!applies(env)) {
            return;
        }
        // The gallery says what it serves (/api/images); an app that lists nothing is checked by listing its store.
        List<String> names = !requests.namesFromApi() && env instanceof StoreListing listing
                ? listing.storedNames() : Workload.servedNames(env.endpoint());
        String digest = Dataset.namesDigest(names);
        if (names.size() != dataset.count() || !digest.equals(dataset.namesDigest())) {
            throw new BenchException(env.displayName() + " serves " + names.size() + " images (names digest " + digest.substring(0, 12)
                    + "), not the run's " + dataset.count() + " (" + dataset.namesDigest().substring(0, 12) + "): its gallery could not be set."
                    + " Check that nothing else writes to its store, then run again.");
        }
    }

    /** The images' names; empty without a dataset. */
    List<String> names() {
        return dataset == null ? List.of() : dataset.names();
    }

    /** What the result records of it; null without one. */
    DatasetInfo info() {
        return dataset == null ? null : DatasetInfo.of(dataset);
    }
}
