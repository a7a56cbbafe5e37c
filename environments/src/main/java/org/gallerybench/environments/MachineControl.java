package org.gallerybench.environments;

import java.util.function.Consumer;

/**
 * A capability: the environment runs on a machine of its own, which can be up or halted apart from the server in it
 * (a Vagrant VM). The UI and the CLI ask for it instead of casting to the VM's class. A run that boots the machine
 * halts it again afterwards, so that it leaves things as it found them.
 */
public interface MachineControl {

    /** True when the machine is up (whether or not the server in it runs). */
    boolean isMachineUp();

    /** Creates or boots the machine, without waiting for the server; {@code progress} gets its output lines. */
    void bootMachine(Consumer<String> progress);

    /** Boots the machine, then waits for the server's first 200 (it starts with the machine): a cold boot, timed. */
    StartTiming bootAndServe(Consumer<String> progress);

    /** Halts the machine (nothing, for a machine this tool does not manage). */
    void haltMachine();

    /** Whether this tool boots and halts the machine (Vagrant), rather than only reaching it (SSH details). */
    boolean managesMachine();

    /** Forgets the machine's recorded SSH host key, after it was recreated with new keys. */
    void forgetHostKey();
}
