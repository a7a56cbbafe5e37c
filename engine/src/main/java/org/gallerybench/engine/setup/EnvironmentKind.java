package org.gallerybench.engine.setup;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.gallerybench.environments.Environment;
import java.util.function.Supplier;

/**
 * The kinds of environment, as one type instead of ids spread as strings: each has its id, its name for people, the
 * settings record its card edits ({@link Connection}), how it is made from the saved settings, and the capabilities
 * the UI and the CLI ask for (machine control for the VM, a container and a network path for docker and gvisor)
 * instead of comparing ids or casting to concrete classes. Adding an environment is adding a constant here.
 */
public enum EnvironmentKind {
    LOCAL("local", "Local process", Connection.Local.class, Connection.Local::defaults, EnumSet.of(Capability.STORE, Capability.BASELINE),
            EnvironmentCatalog::local),
    DOCKER("docker", "Docker container", Connection.Docker.class, Connection.Docker::defaults,
            EnumSet.of(Capability.STORE, Capability.CONTAINER, Capability.NETWORK_PATH), EnvironmentCatalog::docker),
    GVISOR("gvisor", "gVisor sandbox", Connection.Gvisor.class, Connection.Gvisor::defaults,
            EnumSet.of(Capability.STORE, Capability.CONTAINER, Capability.NETWORK_PATH), EnvironmentCatalog::gvisor),
    VM("vm", "Vagrant VM", Connection.Vm.class, Connection.Vm::defaults, EnumSet.of(Capability.STORE, Capability.MACHINE),
            EnvironmentCatalog::vm);

    /** What an environment of a kind can do beyond the common lifecycle. */
    public enum Capability {
        /** Its store can be set to a dataset ({@link org.gallerybench.environments.StoreControl}). */
        STORE,
        /** It runs in a container of its own ({@link org.gallerybench.environments.ContainerControl}). */
        CONTAINER,
        /** Its network path is a setting: a published port or the host network. */
        NETWORK_PATH,
        /** It runs on a machine of its own, booted and halted apart ({@link org.gallerybench.environments.MachineControl}). */
        MACHINE,
        /**
         * It is the plain process on this machine: no boundary, so its app memory is all it costs (no environment or
         * host figure), it needs no isolation from the others, and it is the baseline the others are compared with.
         */
        BASELINE
    }

    private final String id;
    private final String displayName;
    private final Class<? extends Connection> settingsType;
    private final Supplier<? extends Connection> defaults;
    private final Set<Capability> capabilities;
    private final Function<EnvironmentCatalog, Environment> factory;

    EnvironmentKind(String id, String displayName, Class<? extends Connection> settingsType,
                    Supplier<? extends Connection> defaults, Set<Capability> capabilities,
                    Function<EnvironmentCatalog, Environment> factory) {
        this.id = id;
        this.displayName = displayName;
        this.settingsType = settingsType;
        this.defaults = defaults;
        this.capabilities = Set.copyOf(capabilities);
        this.factory = factory;
    }

    public String id() {
        return id;
    }

    public String displayName() {
        return displayName;
    }

    /** The record that holds this kind's settings, as its card edits them. */
    public Class<? extends Connection> settingsType() {
        return settingsType;
    }

    /** This kind's settings when nothing was saved. */
    public Connection defaults() {
        return defaults.get();
    }

    /** The kind whose settings record is {@code type}. */
    public static EnvironmentKind ofSettings(Class<? extends Connection> type) {
        return Arrays.stream(values()).filter(k -> k.settingsType == type).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no environment kind keeps " + type.getSimpleName()));
    }

    public boolean has(Capability capability) {
        return capabilities.contains(capability);
    }

    /** This kind's environment, made from the catalog's saved settings. */
    Environment create(EnvironmentCatalog catalog) {
        return factory.apply(catalog);
    }

    /** The ids of every kind, in the dashboard's order. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(EnvironmentKind::id).toList();
    }

    /** The kind of an environment id; a network-path variant ("docker:host") is of its base's kind. */
    public static Optional<EnvironmentKind> of(String id) {
        String base = EnvironmentCatalog.Variant.of(id).map(EnvironmentCatalog.Variant::base).orElse(id);
        return Arrays.stream(values()).filter(k -> k.id.equals(base)).findFirst();
    }

    /** Whether the environment of this id has the capability; false for an unknown id. */
    public static boolean has(String id, Capability capability) {
        return of(id).map(k -> k.has(capability)).orElse(false);
    }
}
