package org.gallerybench.environments;

/**
 * An environment that runs on a machine of its own, which can be up or halted apart from the server in it (a
 * Vagrant VM). A run that boots the machine halts it again afterwards, so that it leaves things as it found them.
 */
public interface MachineControl {

    /** True when the machine is up (whether or not the server in it runs). */
    boolean isMachineUp();

    /** Halts the machine. */
    void haltMachine();
}
