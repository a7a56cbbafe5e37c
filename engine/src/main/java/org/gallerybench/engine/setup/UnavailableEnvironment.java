package org.gallerybench.engine.setup;

import java.net.URI;
import java.time.Duration;

import org.gallerybench.environments.Environment;
import org.gallerybench.environments.EnvironmentException;
import org.gallerybench.environments.EnvironmentStatus;
import org.gallerybench.environments.SampleStream;
import org.gallerybench.environments.ServerArtifact;
import org.gallerybench.environments.StartTiming;

/**
 * An environment that cannot host the app under test (a subject with no way to run there): every action fails with
 * {@code why}, so a run reports it on that environment alone and still measures the others.
 */
final class UnavailableEnvironment implements Environment {
    private final String id;
    private final String displayName;
    private final String why;

    UnavailableEnvironment(String id, String displayName, String why) {
        this.id = id;
        this.displayName = displayName;
        this.why = why;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String displayName() {
        return displayName;
    }

    @Override
    public String networkPath() {
        return "none";
    }

    @Override
    public URI endpoint() {
        return URI.create("http://127.0.0.1:1/");
    }

    @Override
    public void deploy(ServerArtifact artifact) {
        throw new EnvironmentException(why);
    }

    @Override
    public StartTiming start() {
        throw new EnvironmentException(why);
    }

    @Override
    public void stop() {
    }

    @Override
    public StartTiming restart() {
        throw new EnvironmentException(why);
    }

    @Override
    public StartTiming coldStart() {
        throw new EnvironmentException(why);
    }

    @Override
    public EnvironmentStatus status() {
        return new EnvironmentStatus.Failed(why);
    }

    @Override
    public SampleStream openSampler(Duration interval) {
        throw new EnvironmentException(why);
    }

    @Override
    public void close() {
    }
}
