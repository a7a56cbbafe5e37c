package org.gallerybench.environments.subject;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.apache.commons.text.similarity.LevenshteinDistance;
import java.time.Duration;
import java.util.regex.Pattern;
import org.gallerybench.environments.Escape;

/**
 * Reads a subject's manifest, {@value #FILE}, with Jackson's TOML module (no parser of our own), and checks it: every
 * mistake is one message that names the file, the line, what is wrong and what to write instead. Reading never writes
 * anything in the subject's folder.
 */
public final class SubjectManifests {
    /** The manifest's file name, in the subject's folder. */
    public static final String FILE = "subject.toml";

    /** Strict: an unknown key, or a number where a string belongs (port_env = 8080), is a mistake to report, not to guess. */
    private static final TomlMapper TOML = TomlMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail).setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    private SubjectManifests() {
    }

    // The manifest as written: every key optional here, so that a missing one is reported in words, not as a parse error.
    record Manifest(String name, String version, String description, Boolean builtin, ListenT listen, LocalT local, ContainerT container,
                    VmT vm, StoreT store, Map<String, RequestT> requests) {
    }

    record ListenT(@JsonProperty("port_env") String portEnv, @JsonProperty("host_env") String hostEnv,
                   @JsonProperty("ready_path") String readyPath, @JsonProperty("ready_within_seconds") Integer readyWithinSeconds) {
    }

    record LocalT(List<String> command, Map<String, String> env) {
    }

    record ContainerT(String dockerfile, List<String> packages, List<String> files, List<String> command, Map<String, String> env) {
    }

    record VmT(List<String> packages, List<String> files, List<String> command, Map<String, String> env) {
    }

    record StoreT(String env, String folder, String listing) {
    }

    record RequestT(String method, String path, String field) {
    }

    /** The subject in {@code folderOrFile} (its folder, or its manifest). */
    public static Subject read(Path folderOrFile) {
        Path file = Files.isDirectory(folderOrFile) ? folderOrFile.resolve(FILE) : folderOrFile;
        if (!Files.isRegularFile(file)) {
            throw new SubjectException(Files.isDirectory(folderOrFile)
                    ? "No " + FILE + " in " + folderOrFile + ": a subject is a folder with a manifest. Write one (README, \"Measure your own app\"),"
                      + " or name a folder that has one."
                    : "No subject at " + folderOrFile + ": name a folder that holds a " + FILE + ".");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SubjectException("Cannot read " + file + " (" + e.getMessage() + "): check that it is readable.", e);
        }
        Manifest m;
        try {
            m = TOML.readValue(text, Manifest.class);
        } catch (UnrecognizedPropertyException e) {
            String section = section(e);
            List<String> known = e.getKnownPropertyIds() == null ? List.of() : e.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
            String near = closest(e.getPropertyName(), known);
            throw new SubjectException(at(file, e.getLocation(), text, section, e.getPropertyName()) + "unknown key '" + e.getPropertyName() + "'" + (section.isEmpty() ? "" : " in [" + section + "]")
                    + (near != null ? ": did you mean '" + near + "'?" : "") + " The keys there are " + String.join(", ", known) + ".", e);
        } catch (MismatchedInputException e) {
            String key = e.getPath().isEmpty() ? "a value" : "'" + String.valueOf(e.getPath().getLast().getFieldName()) + "'";
            String type = e.getTargetType() == null ? "another kind of value" : describe(e.getTargetType());
            throw new SubjectException(at(file, e.getLocation(), text, section(e), e.getPath().isEmpty() ? "" : String.valueOf(e.getPath().getLast().getFieldName()))
                    + key + " must be " + type + section(e).transform(s -> s.isEmpty() ? "" : " (in [" + s + "])")
                    + ".", e);
        } catch (JsonMappingException e) {
            throw new SubjectException(at(file, e.getLocation()) + e.getOriginalMessage() + ".", e);
        } catch (JsonProcessingException e) {
            throw new SubjectException(at(file, e.getLocation()) + "not valid TOML: " + e.getOriginalMessage()
                    + ". Each line is key = value, a string in double quotes, a list in [ ].", e);
        }
        return check(file, text, m == null ? new Manifest(null, null, null, null, null, null, null, null, null, null) : m);
    }

    private static Subject check(Path file, String text, Manifest m) {
        Problems p = new Problems(file, text);
        if (blank(m.name())) {
            p.add("", "no name: write name = \"my-app\" at the top (letters, digits, - and _).");
        } else if (!m.name().matches("[A-Za-z0-9][A-Za-z0-9_-]{0,39}")) {
            p.add("name", "the name '" + m.name() + "' is not usable: write letters, digits, - and _ (up to 40), as in name = \"my-app\".");
        }
        boolean builtin = Boolean.TRUE.equals(m.builtin());
        ListenT listen = m.listen();
        if (listen == null || blank(listen.portEnv())) {
            p.add("[listen]", "no port_env under [listen]: write port_env = \"PORT\", the environment variable your app reads its port from.");
        }
        String readyPath = listen == null || blank(listen.readyPath()) ? "/" : listen.readyPath();
        Integer within = listen == null ? null : listen.readyWithinSeconds();
        if (within != null && (within < 1 || within > 3600)) {
            p.add("ready_within_seconds", "ready_within_seconds is how long a start may take, 1 to 3600 seconds, not " + within + ".");
        }
        if (!readyPath.startsWith("/")) {
            p.add("ready_path", "ready_path must be a path that starts with /, as in ready_path = \"/health\".");
        }
        if (!builtin && m.local() == null && m.container() == null && m.vm() == null) {
            p.add("", "it says nowhere how to run the app: add a [local] section with command = [\"...\"], and [container] or [vm] for the others.");
        }
        if (m.local() != null && (m.local().command() == null || m.local().command().isEmpty())) {
            p.add("[local]", "[local] has no command: write command = [\"python3\", \"app.py\"] (the program and its arguments, run in the subject's folder).");
        }
        if (m.container() != null) {
            ContainerT c = m.container();
            if (blank(c.dockerfile()) && (c.command() == null || c.command().isEmpty())) {
                p.add("[container]", "[container] needs a command = [\"...\"] (with packages and files), or dockerfile = \"Dockerfile\" in the folder.");
            }
            if (!blank(c.dockerfile()) && !Escape.printable(c.dockerfile())) {
                p.add("dockerfile", "dockerfile = \"" + visible(c.dockerfile()) + "\" has a control character in its name: name the file on one line.");
            } else if (!blank(c.dockerfile()) && !file.getParent().resolve(c.dockerfile()).normalize().startsWith(file.getParent())) {
                p.add("dockerfile", "dockerfile = \"" + c.dockerfile() + "\" is outside the app's folder: name a Dockerfile inside it.");
            } else if (!blank(c.dockerfile()) && !Files.isRegularFile(file.resolveSibling(c.dockerfile()))) {
                p.add("dockerfile", "dockerfile = \"" + c.dockerfile() + "\", but there is no such file next to the manifest: add it, or remove the line.");
            }
            missingFiles(file, c.files(), "[container]", p);
        }
        if (m.vm() != null) {
            if (m.vm().command() == null || m.vm().command().isEmpty()) {
                p.add("[vm]", "[vm] has no command: write command = [\"...\"], what the VM's service runs in /opt/subject.");
            }
            missingFiles(file, m.vm().files(), "[vm]", p);
        }
        if (m.store() != null) {
            if (blank(m.store().env()) && blank(m.store().folder())) {
                p.add("[store]", "[store] says nowhere where the images are: write env = \"UPLOAD_DIR\" (the variable naming the folder your app"
                        + " stores images in), or folder = \"static/uploads\" (a folder inside your app's files that it serves them from), or both.");
            }
            if (!blank(m.store().folder()) && !STORE_FOLDER.matcher(m.store().folder()).matches()) {
                p.add("[store] folder", "[store] folder '" + visible(m.store().folder()) + "' must be a folder inside the app's files, written"
                        + " relative to it with letters, digits, . _ - and /, as in folder = \"static/uploads\".");
            }
            if (m.store().listing() != null && !List.of("api", "folder").contains(m.store().listing())) {
                p.add("listing", "listing is \"api\" (GET /api/images) or \"folder\" (the run lists the folder), not \"" + m.store().listing() + "\".");
            }
        }
        checkValues(file, m, p);
        Map<String, Subject.Request> requests = new LinkedHashMap<>();
        if (m.requests() == null || m.requests().isEmpty()) {
            p.add("", "no [requests.page] (or image, upload): say what the load asks for, e.g. [requests.page] with path = \"/\".");
        } else {
            m.requests().forEach((kind, r) -> {
                if (!Subject.REQUEST_KINDS.contains(kind)) {
                    p.add("[requests." + kind + "]", "[requests." + kind + "] is not a request kind: use page, image or upload.");
                    return;
                }
                String method = r == null || blank(r.method()) ? (kind.equals("upload") ? "POST" : "GET") : r.method().toUpperCase(Locale.ROOT);
                if (r == null || blank(r.path()) || !r.path().startsWith("/")) {
                    p.add("[requests." + kind + "]", "[requests." + kind + "] needs path = \"/...\" (a path that starts with /).");
                    return;
                }
                if (!List.of("GET", "POST").contains(method)) {
                    p.add("method", "method is GET or POST, not " + method + ".");
                }
                if (kind.equals("image") && !r.path().contains("{image}")) {
                    p.add("[requests.image]", "[requests.image]'s path names the image with {image}, as in path = \"/static/uploads/{image}\".");
                }
                if (kind.equals("upload") && (!method.equals("POST") || blank(r.field()))) {
                    p.add("[requests.upload]", "an upload is a POST with a form field: write method = \"POST\" and field = \"file\" (your form's field name).");
                }
                requests.put(kind, new Subject.Request(method, r.path(), r.field() == null ? "" : r.field()));
            });
            if (requests.containsKey("image") && m.store() == null && !builtin) {
                p.add("[requests.image]", "image requests need stored images: add [store] with env = \"...\", the folder your app serves them from.");
            }
        }
        p.throwIfAny();
        Subject.Listen l = new Subject.Listen(listen.portEnv(), blank(listen.hostEnv()) ? "" : listen.hostEnv(), readyPath,
                Duration.ofSeconds(within == null ? 60 : within));
        return new Subject(file.getParent(), m.name(), blank(m.version()) ? "" : m.version(), blank(m.description()) ? "" : m.description(), l,
                Optional.ofNullable(m.local()).map(x -> new Subject.Local(List.copyOf(x.command()), map(x.env()))),
                Optional.ofNullable(m.container()).map(c -> new Subject.Container(blank(c.dockerfile()) ? "" : c.dockerfile(), list(c.packages()),
                        list(c.files()), list(c.command()), map(c.env()))),
                Optional.ofNullable(m.vm()).map(v -> new Subject.Vm(list(v.packages()), list(v.files()), list(v.command()), map(v.env()))),
                Optional.ofNullable(m.store()).map(s -> new Subject.Store(blank(s.env()) ? "" : s.env(), blank(s.folder()) ? "" : s.folder().replaceAll("/+$", ""),
                        s.listing() == null ? (builtin ? "api" : "folder") : s.listing())),
                Map.copyOf(requests), digest(file.getParent(), m.store() == null || blank(m.store().folder()) || !STORE_FOLDER.matcher(m.store().folder()).matches()
                ? "" : m.store().folder()), builtin);
    }

    /** A store folder inside the app's files: relative, no "..", characters no shell or Dockerfile reads as more. */
    private static final java.util.regex.Pattern STORE_FOLDER = java.util.regex.Pattern.compile("(?!/)(?!.*(^|/)\\.\\.?(/|$))[A-Za-z0-9._/-]{1,200}");

    /** A variable's name, as a shell and systemd take it. */
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    /** Debian's rule for a package's name (Policy 5.6.1): lower-case letters, digits, + - and ., two or more, starting alphanumeric. */
    private static final Pattern DEBIAN_PACKAGE = Pattern.compile("[a-z0-9][a-z0-9+.-]+");
    /** A command's program: a name on PATH or a path, with no character a shell, systemd or env would read as more. */
    private static final Pattern PROGRAM = Pattern.compile("[A-Za-z0-9_./][A-Za-z0-9_./+-]*");
    /** A path or form field as it goes into a request: visible ASCII, no quote. */
    private static final Pattern REQUEST_TEXT = Pattern.compile("[\\x21-\\x7e&&[^\"\\\\]]+");

    /**
     * A manifest is data: each value must be one that stays a value wherever it goes (a shell line, a Dockerfile, a
     * systemd unit, an HTTP request). Every value that could become code is refused here, one line each, before
     * anything runs; the environments then still escape every value for its target ({@link org.gallerybench.environments.Escape}).
     */
    private static void checkValues(Path file, Manifest m, Problems p) {
        if (m.version() != null && !Escape.printable(m.version())) {
            p.add("version", "version holds a control character (a newline or the like): write it on one line.");
        }
        if (m.description() != null && !Escape.printable(m.description())) {
            p.add("description", "description holds a control character (a newline or the like): write it on one line.");
        }
        if (m.listen() != null) {
            variableName(m.listen().portEnv(), "[listen]", "port_env", p);
            variableName(m.listen().hostEnv(), "[listen]", "host_env", p);
            if (m.listen().readyPath() != null && !m.listen().readyPath().isEmpty() && !REQUEST_TEXT.matcher(m.listen().readyPath()).matches()) {
                p.add("[listen] ready_path", "ready_path '" + visible(m.listen().readyPath()) + "' must be a URL path without spaces, quotes or control"
                        + " characters, as in ready_path = \"/health\".");
            }
        }
        if (m.store() != null) {
            variableName(m.store().env(), "[store]", "env", p);
        }
        if (m.local() != null) {
            command(file, m.local().command(), "[local]", p);
            variables(m.local().env(), "[local]", p);
        }
        if (m.container() != null) {
            command(file, m.container().command(), "[container]", p);
            variables(m.container().env(), "[container]", p);
            packages(m.container().packages(), "[container]", p);
            fileNames(file, m.container().files(), "[container]", p);
        }
        if (m.vm() != null) {
            command(file, m.vm().command(), "[vm]", p);
            variables(m.vm().env(), "[vm]", p);
            packages(m.vm().packages(), "[vm]", p);
            fileNames(file, m.vm().files(), "[vm]", p);
        }
        if (m.requests() != null) {
            m.requests().forEach((kind, r) -> {
                if (r == null) {
                    return;
                }
                if (r.path() != null && r.path().startsWith("/") && !REQUEST_TEXT.matcher(r.path()).matches()) {
                    p.add("[requests." + kind + "] path", "[requests." + kind + "]'s path '" + visible(r.path()) + "' must be a URL path without spaces,"
                            + " quotes or control characters.");
                }
                if (r.field() != null && !r.field().isEmpty() && !r.field().matches("[A-Za-z0-9_.\\[\\]-]{1,64}")) {
                    p.add("[requests." + kind + "] field", "[requests." + kind + "]'s field '" + visible(r.field()) + "' must be a form field's name:"
                            + " letters, digits, _ . - [ ].");
                }
            });
        }
    }

    private static void variableName(String name, String section, String key, Problems p) {
        if (name != null && !name.isEmpty() && !VARIABLE.matcher(name).matches()) {
            p.add(section + " " + key, key + " '" + visible(name) + "' is not a variable's name: letters, digits and _, not starting with a digit, as in "
                    + key + " = \"PORT\".");
        }
    }

    private static void variables(Map<String, String> env, String section, Problems p) {
        if (env == null) {
            return;
        }
        env.forEach((name, value) -> {
            if (!VARIABLE.matcher(name).matches()) {
                p.add(section + " env", section + " env: '" + visible(name) + "' is not a variable's name: letters, digits and _, not starting with a digit.");
            } else if (value == null || !Escape.printable(value)) {
                p.add(section + " env", section + " env: the value of " + name + " holds a control character (a newline or the like): a variable's"
                        + " value is one line.");
            }
        });
    }

    private static void packages(List<String> packages, String section, Problems p) {
        for (String pkg : list(packages)) {
            if (pkg == null || !DEBIAN_PACKAGE.matcher(pkg).matches()) {
                p.add(section + " packages", section + " packages: '" + visible(pkg) + "' is not a Debian package's name (lower-case letters, digits, + - and .,"
                        + " starting with a letter or digit), as in packages = [\"python3-flask\"].");
            }
        }
    }

    private static void command(Path file, List<String> command, String section, Problems p) {
        List<String> words = list(command);
        if (words.isEmpty()) {
            return;
        }
        String program = words.getFirst();
        if (program == null || !PROGRAM.matcher(program).matches() || program.contains("=")) {
            p.add(section + " command", section + " command: the program '" + visible(program) + "' must be a name on PATH or a path in the app's folder"
                    + " (letters, digits, _ . / + -, not starting with - or +), as in command = [\"python3\", \"app.py\"].");
        } else if (program.contains("/") && !program.startsWith("/") && !file.getParent().resolve(program).normalize().startsWith(file.getParent())) {
            p.add(section + " command", section + " command: the program '" + program + "' is outside the app's folder: name a file inside it, or a program"
                    + " on PATH.");
        }
        for (String word : words.subList(1, words.size())) {
            if (word == null || !Escape.printable(word)) {
                p.add(section + " command", section + " command: an argument holds a control character (a newline, a tab or the like): write each"
                        + " argument on one line.");
            }
        }
    }

    /** File names on one line (whether each is inside the folder and there is {@link #missingFiles}' to say). */
    private static void fileNames(Path file, List<String> files, String section, Problems p) {
        for (String f : list(files)) {
            if (!Escape.printable(f)) {
                p.add(section + " files", section + ": the file '" + visible(f) + "' has a control character in its name (a newline or the like):"
                        + " rename it, or leave it out.");
            }
        }
    }

    /** A value as a message can show it: control characters as \\n, \\t or \\uXXXX, so that the message stays one line. */
    static String visible(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        s.codePoints().forEach(c -> {
            if (c == '\n') {
                out.append("\\n");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.length() > 60 ? out.substring(0, 57) + "..." : out.toString();
    }

    private static void missingFiles(Path file, List<String> files, String section, Problems p) {
        for (String f : list(files)) {
            if (!Escape.printable(f)) {
                continue; // said by fileNames
            }
            Path path = file.resolveSibling(f).normalize();
            if (!path.startsWith(file.getParent()) || !Files.exists(path)) {
                p.add(section, section + " copies \"" + f + "\", which is not in " + file.getParent() + ": name files inside the subject's folder.");
            }
        }
    }

    /** SHA-256 over every file of the folder (names and contents, in order), hidden files and caches left out. */
    public static String digest(Path dir) {
        return digest(dir, "");
    }

    /** As above, the images of a store folder inside the app ({@code storeFolder}, relative; "" for none) left out too: they are data, not the app. */
    public static String digest(Path dir, String storeFolder) {
        Path store = storeFolder.isEmpty() ? null : dir.resolve(storeFolder).normalize();
        try (Stream<Path> walk = Files.walk(dir)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path f : walk.filter(Files::isRegularFile).filter(f -> !ignored(dir.relativize(f))).filter(f -> store == null || !f.normalize().startsWith(store))
                    .sorted(Comparator.comparing(Path::toString)).toList()) {
                sha.update(dir.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(Files.readAllBytes(f));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new SubjectException("Cannot read the subject's files in " + dir + " (" + e.getMessage() + ").", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean ignored(Path relative) {
        for (Path part : relative) {
            String s = part.toString();
            if (s.startsWith(".") || s.equals("__pycache__") || s.equals("target") || s.equals("node_modules")) {
                return true;
            }
        }
        return false;
    }

    /** Collects the problems, each with its line, and throws them as one message. */
    private static final class Problems {
        private final Path file;
        private final List<String> lines;
        private final List<String> found = new ArrayList<>();

        Problems(Path file, String text) {
            this.file = file;
            this.lines = text.lines().toList();
        }

        /** {@code near}: a section header ("[listen]") or key ("name") whose line the message points at; "" for none. */
        void add(String near, String message) {
            int line = near.isEmpty() ? -1 : lineOf(near);
            found.add(file + (line > 0 ? " line " + line : "") + ": " + message);
        }

        private int lineOf(String near) {
            // "[section] key": the key's line inside that section
            int gap = near.indexOf("] ");
            if (near.startsWith("[") && gap > 0) {
                String header = near.substring(0, gap + 1);
                String key = near.substring(gap + 2);
                boolean inside = false;
                for (int i = 0; i < lines.size(); i++) {
                    String l = lines.get(i).strip();
                    if (l.startsWith("[")) {
                        inside = l.equals(header);
                    } else if (inside && (l.startsWith(key + " ") || l.startsWith(key + "="))) {
                        return i + 1;
                    }
                }
                return lineOf(header);
            }
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i).strip();
                if (near.startsWith("[") ? l.equals(near) : l.startsWith(near + " ") || l.startsWith(near + "=")) {
                    return i + 1;
                }
            }
            return -1;
        }

        void throwIfAny() {
            if (!found.isEmpty()) {
                throw new SubjectException(String.join("\n", found));
            }
        }
    }

    private static String at(Path file, JsonLocation where) {
        return file + (where != null && where.getLineNr() > 0 ? " line " + where.getLineNr() : "") + ": ";
    }

    /**
     * As above; where the parser gives no location (the TOML module reads a whole table before mapping it), the line
     * is found in the text: the first {@code key =} after the section's header.
     */
    private static String at(Path file, JsonLocation where, String text, String section, String key) {
        if (where != null && where.getLineNr() > 0) {
            return at(file, where);
        }
        List<String> lines = text.lines().toList();
        boolean inSection = section.isEmpty();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.startsWith("[")) {
                inSection = l.equals("[" + section + "]");
                continue;
            }
            if (inSection && !key.isEmpty() && (l.startsWith(key + " ") || l.startsWith(key + "="))) {
                return file + " line " + (i + 1) + ": ";
            }
        }
        return file + ": ";
    }

    private static String section(JsonMappingException e) {
        List<String> names = e.getPath().stream().map(JsonMappingException.Reference::getFieldName).filter(n -> n != null).toList();
        return names.size() <= 1 ? "" : String.join(".", names.subList(0, names.size() - 1));
    }

    private static String describe(Class<?> type) {
        if (List.class.isAssignableFrom(type)) {
            return "a list of strings, as in [\"python3\", \"app.py\"]";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a table, as in [section] with keys under it";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        return "a string in double quotes";
    }

    /** The known key nearest to a mistyped one (at most two edits away), by commons-text's Levenshtein distance. */
    private static String closest(String word, List<String> candidates) {
        LevenshteinDistance within2 = new LevenshteinDistance(2);
        return candidates.stream().filter(c -> within2.apply(word.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT)) >= 0)
                .min(Comparator.comparing((String c) -> within2.apply(word.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT))))
                .orElse(null);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static List<String> list(List<String> l) {
        return l == null ? List.of() : List.copyOf(l);
    }

    private static Map<String, String> map(Map<String, String> m) {
        return m == null ? Map.of() : Map.copyOf(m);
    }
}
