package org.gallerybench.server;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

/** Ready only once the upload store can be read and written. */
final class StoreHealthCheck implements HealthCheck {
    private final ImageStore store;

    StoreHealthCheck(ImageStore store) {
        this.store = store;
    }

    @Override
    public HealthCheckType type() {
        return HealthCheckType.READINESS;
    }

    @Override
    public String name() {
        return "upload-store";
    }

    @Override
    public HealthCheckResponse call() {
        var problem = store.problem();
        var response = HealthCheckResponse.builder()
                .status(problem.isEmpty())
                .detail("directory", store.directory().toString())
                .detail("images", store.size())
                .detail("freeBytes", store.usableBytes());
        problem.ifPresent(p -> response.detail("problem", p + "; uploads are refused until it is fixed"));
        return response.build();
    }
}
