package org.gallerybench.environments.subject;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;

/**
 * The app under test, as its manifest ({@value SubjectManifests#FILE} in its folder) describes it: how it listens, how
 * it runs in each environment, where it keeps its images (optional), and what a page, an image and an upload are for
 * it. The digest of the folder's files is its build identity, recorded in every run.
 *
 * @param dir         the subject's folder
 * @param name        short, stable: "flask-gallery"
 * @param version     the author's version, for people
 * @param description one line for people
 * @param listen      how it is told where to listen, and when it is ready
 * @param local       how it runs as a process on this machine; empty when it does not
 * @param container   how its container image is made; empty when it has none
 * @param vm          how it is installed and run in the VM; empty when it is not
 * @param store       where it keeps its images, for the run's dataset; empty when it keeps none
 * @param requests    what "page", "image" and "upload" mean for it (an app may declare only some)
 * @param digest      SHA-256 over the folder's files: its build identity
 * @param builtin     the tool's own gallery (Helidon), which the environments run as they always have; its manifest
 *                    only describes it
 */
public record Subject(Path dir, String name, String version, String description, Listen listen, Optional<Local> local,
                      Optional<Container> container, Optional<Vm> vm, Optional<Store> store, Map<String, Request> requests, String digest,
                      boolean builtin) {

    /** The request kinds a subject can declare. */
    public static final List<String> REQUEST_KINDS = List.of("page", "image", "upload");

    /**
     * @param portEnv   the environment variable that sets its port, e.g. PORT
     * @param hostEnv   the one that sets the address it binds (empty: it binds what it binds)
     * @param readyPath the path that answers 200 once it is ready, e.g. "/"
     * @param readyWithin how long a start may take to its first 200 (60 s unless the manifest says)
     */
    public record Listen(String portEnv, String hostEnv, String readyPath, Duration readyWithin) {
    }

    /**
     * @param command the command line, run in the subject's folder; ${PORT} and ${HOST} are replaced ({@link #command})
     * @param env     more environment variables
     */
    public record Local(List<String> command, Map<String, String> env) {
    }

    /**
     * @param dockerfile a Dockerfile in the folder (built with docker-java on the offline base image), or empty
     * @param packages   Debian packages added to the base image, when there is no Dockerfile
     * @param files      files and folders of the subject copied into the image (/app)
     * @param command    what the container runs, in /app
     * @param env        more environment variables
     */
    public record Container(String dockerfile, List<String> packages, List<String> files, List<String> command, Map<String, String> env) {
    }

    /**
     * @param packages Debian packages installed in the guest
     * @param files    files and folders copied into the guest (/opt/subject)
     * @param command  what the systemd service runs, in /opt/subject
     * @param env      more environment variables
     */
    public record Vm(List<String> packages, List<String> files, List<String> command, Map<String, String> env) {
    }

    /**
     * Where it keeps its images: a folder the run chooses and names in a variable ({@code env}), or a folder inside the
     * app's own files ({@code folder}, e.g. "static/uploads", which many small apps serve themselves through their
     * static route), or both (the variable then names that folder's path). With a folder inside, the run works in a copy
     * of the app's files wherever it must write (the user's folder is never written), and places, checks and resets
     * its dataset in that folder in every environment.
     *
     * @param env     the environment variable naming the folder it stores images in; "" when it has none
     * @param folder  the folder inside the app's files that holds its images, relative ("static/uploads"); "" for none
     * @param listing how the run checks what it serves: "api" (GET /api/images, as the gallery has) or "folder" (by
     *                listing the folder)
     */
    public record Store(String env, String folder, String listing) {
        /** True when the images live inside the app's own files. */
        public boolean inside() {
            return !folder.isEmpty();
        }
    }

    /**
     * @param method "GET" or "POST"
     * @param path   the path; {image} is replaced by a stored image's name
     * @param field  the multipart form field of an upload
     */
    public record Request(String method, String path, String field) {
    }

    /**
     * The one rule for a command, the same in every environment: in each word, {@code ${PORT}} and {@code ${HOST}} are
     * replaced by the port and address the app must listen on, and nothing else is expanded; no shell runs it (a word
     * is one argument as written: for a shell, write {@code ["sh", "-c", "..."]}). A program given as a relative path
     * ({@code bin/serve}) is the app's file: it is made absolute against {@code appDir}, where the app's files are in
     * that environment (its folder here, /app in a container, /opt/subject/NAME in the VM).
     */
    public static List<String> command(List<String> words, String host, int port, String appDir) {
        List<String> out = new ArrayList<>();
        for (String word : words) {
            out.add(word.replace("${PORT}", Integer.toString(port)).replace("${HOST}", host));
        }
        String program = out.getFirst();
        if (program.contains("/") && !program.startsWith("/")) {
            out.set(0, (appDir.endsWith("/") ? appDir : appDir + "/") + (program.startsWith("./") ? program.substring(2) : program));
        }
        return List.copyOf(out);
    }

    /**
     * The variables that tell it where to listen: PORT and HOST (which its commands may use as ${PORT} and ${HOST}) and
     * the ones its manifest names.
     */
    public Map<String, String> listenEnv(String address, int port) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("PORT", String.valueOf(port));
        out.put("HOST", address);
        out.put(listen.portEnv(), String.valueOf(port));
        if (!listen.hostEnv().isEmpty()) {
            out.put(listen.hostEnv(), address);
        }
        return out;
    }

    /** The first 12 hex digits of the digest, as image tags and reports show it. */
    public String shortDigest() {
        return digest.substring(0, 12);
    }

    /** The environments it can run in, of local, docker, gvisor and vm. */
    public List<String> runsIn() {
        List<String> out = new ArrayList<>();
        local.ifPresent(l -> out.add("local"));
        container.ifPresent(c -> out.addAll(List.of("docker", "gvisor")));
        vm.ifPresent(v -> out.add("vm"));
        return List.copyOf(out);
    }
}
