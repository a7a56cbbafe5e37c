package org.gallerybench.engine.run;

import org.gallerybench.environments.Dataset;

/**
 * The one gallery a run's environments all served, as the run records it.
 *
 * @param count       images
 * @param seed        what they were made from
 * @param digest      SHA-256 over every name and content
 * @param namesDigest SHA-256 over the names: what each environment's /api/images was checked against before its load
 */
public record DatasetInfo(int count, long seed, String digest, String namesDigest) {
    static DatasetInfo of(Dataset d) {
        return new DatasetInfo(d.count(), d.seed(), d.digest(), d.namesDigest());
    }
}
