package org.gallerybench.environments;

/**
 * A capability: the environment's server runs in a container of its own, with a volume of its own, on a network
 * path that is chosen (docker and gvisor). The UI and the CLI ask for it instead of casting to the Docker class.
 */
public interface ContainerControl {

    /** Stops and removes the container; the image and the volume stay. */
    void removeContainer();

    /** Removes the uploads volume, once the container is gone: the next start begins with an empty gallery. */
    void removeVolume();

    /** Whether the container runs on the host's network rather than behind a published port. */
    boolean hostNetwork();
}
