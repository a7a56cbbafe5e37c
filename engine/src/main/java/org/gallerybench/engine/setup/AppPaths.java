package org.gallerybench.engine.setup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.gallerybench.environments.EnvironmentException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import org.gallerybench.environments.Command;
import org.gallerybench.environments.docker.DockerSettings;
import org.gallerybench.environments.vm.VmSettings;

/**
 * Where Gallery Bench keeps things: the project checkout (the server build, environments/vagrant), the user's
 * data (run history, local uploads, known_hosts) and settings; what can be made again is in {@link #cacheHome()}.
 *
 * @param projectRoot the checkout: the folder that holds gallery-server/ and environments/
 * @param dataHome    $GALLERYBENCH_HOME (or -Dgallerybench.home), else $XDG_DATA_HOME/gallerybench, else ~/.local/share/gallerybench
 * @param configHome  $XDG_CONFIG_HOME/gallerybench, else ~/.config/gallerybench (inside dataHome when GALLERYBENCH_HOME is set)
 */
public record AppPaths(Path projectRoot, Path dataHome, Path configHome) {

    public static AppPaths detect() {
        return detect(System.getenv(), Path.of(System.getProperty("user.home")), System.getProperty("gallerybench.root"));
    }

    static AppPaths detect(Map<String, String> env, Path home, String rootProperty) {
        Path root = rootProperty != null ? Path.of(rootProperty) : findRoot(Path.of("").toAbsolutePath());
        String explicit = System.getProperty("gallerybench.home", env.get("GALLERYBENCH_HOME"));
        if (explicit != null && !explicit.isBlank()) {
            Path data = Path.of(explicit).toAbsolutePath();
            return new AppPaths(root, data, data.resolve("config"));
        }
        Path data = env.containsKey("XDG_DATA_HOME") ? Path.of(env.get("XDG_DATA_HOME"), "gallerybench") : home.resolve(".local/share/gallerybench");
        Path config = env.containsKey("XDG_CONFIG_HOME") ? Path.of(env.get("XDG_CONFIG_HOME"), "gallerybench") : home.resolve(".config/gallerybench");
        return new AppPaths(root, data, config);
    }

    /**
     * The Docker container (and, with "-uploads", volume) of this data folder: {@code gallerybench-gallery} for the
     * user's own folder, and a name of its own for any other ({@code GALLERYBENCH_HOME}, as tests set it), so that
     * a test or a second setup never touches the user's gallery.
     */
    public String dockerContainerName() {
        Path usual = Path.of(System.getProperty("user.home")).resolve(".local/share/gallerybench");
        Path xdg = System.getenv("XDG_DATA_HOME") == null ? usual : Path.of(System.getenv("XDG_DATA_HOME"), "gallerybench");
        if (dataHome.equals(usual) || dataHome.equals(xdg)) {
            return DockerSettings.CONTAINER;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(dataHome.toString().getBytes(StandardCharsets.UTF_8));
            return "gallerybench-gallery-" + HexFormat.of().formatHex(hash, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The Vagrant machine of environments/vagrant this setup drives: {@code default} (libvirt domain
     * gallerybench_default), or the one GALLERYBENCH_VM_NAME (or -Dgallerybench.vmName) names, as tests do so that
     * they never touch the user's VM.
     */
    public static String vagrantMachine() {
        String name = System.getProperty("gallerybench.vmName", System.getenv("GALLERYBENCH_VM_NAME"));
        if (name == null || name.isBlank()) {
            return VmSettings.DEFAULT_MACHINE;
        }
        if (!name.strip().matches("[A-Za-z0-9_-]+")) {
            throw new EnvironmentException("GALLERYBENCH_VM_NAME '" + name + "' is not a Vagrant machine name: use letters, digits, - or _.");
        }
        return name.strip();
    }

    private static Path findRoot(Path from) {
        for (Path dir = from; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("gallery-server")) && Files.isDirectory(dir.resolve("environments"))) {
                return dir;
            }
        }
        return from;
    }

    /**
     * Where what can be made again is kept, shared by every data folder (each entry is keyed by what it was made
     * from): $GALLERYBENCH_CACHE, else $XDG_CACHE_HOME/gallerybench, else ~/.cache/gallerybench, where the scripts
     * cache too. The run's dataset and the local server's AOT caches live here.
     */
    public static Path cacheHome() {
        String explicit = System.getenv("GALLERYBENCH_CACHE");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        return xdg != null && !xdg.isBlank() ? Path.of(xdg, "gallerybench") : Path.of(System.getProperty("user.home"), ".cache", "gallerybench");
    }

    /** The built server: gallery-server/target/gallery-server.jar. */
    public Path serverJar() {
        return projectRoot.resolve("gallery-server/target/gallery-server.jar");
    }

    public Path vagrantDir() {
        return projectRoot.resolve("environments/vagrant");
    }

    public Path history() {
        return dataHome.resolve("history");
    }

    public Path settingsFile() {
        return configHome.resolve("settings.json");
    }

    /** The jlink'd runtime the container and the VM share, built (and cached) by environments/runtime/build-runtime.sh. */
    public Path vmRuntime() {
        Path script = projectRoot.resolve("environments/runtime/build-runtime.sh");
        if (!Files.isExecutable(script)) {
            throw new EnvironmentException("Cannot build the VM's Java runtime: " + script + " is missing. Run from a Gallery Bench checkout.");
        }
        try {
            Command.Result r = Command.of(script.toString())
                    .deadline(Duration.ofMinutes(10)).run();
            String out = r.lastLine();
            if (!r.ok() || out.isEmpty()) {
                throw new EnvironmentException("Building the VM's Java runtime with jlink failed (" + r.how() + "): run " + script
                        + " to see why.");
            }
            return Path.of(out);
        } catch (IOException e) {
            throw new EnvironmentException("Cannot run " + script + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnvironmentException("Interrupted while building the VM's Java runtime.");
        }
    }
}
