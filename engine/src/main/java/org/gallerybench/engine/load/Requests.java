package org.gallerybench.engine.load;

import org.gallerybench.engine.BenchException;

import java.util.List;
import java.util.Map;

import org.gallerybench.environments.subject.Subject;
import java.util.EnumMap;

/**
 * What "page", "image" and "upload" mean for the app under test: the paths the load requests (an image's with {image}),
 * the upload's form field, and where the stored images' names come from: the app's /api/images (the gallery), or the
 * run's dataset, which the run placed in the app's store (a subject that lists no images of its own).
 *
 * @param kinds        the kinds the app declares; a mix that asks for another is refused before the run
 * @param namesFromApi the image names come from GET /api/images
 */
public record Requests(Map<RequestKind, Subject.Request> kinds, boolean namesFromApi) {
    /** The gallery's own: GET /, GET /images/{image}, POST /upload (field "file"), names from /api/images. */
    public static final Requests GALLERY = new Requests(Map.of(
            RequestKind.PAGE, new Subject.Request("GET", "/", ""),
            RequestKind.IMAGE, new Subject.Request("GET", "/images/{image}", ""),
            RequestKind.UPLOAD, new Subject.Request("POST", "/upload", "file")), true);

    public Requests {
        kinds = Map.copyOf(kinds);
    }

    /** A subject's requests, as its manifest declares them. */
    public static Requests of(Subject subject) {
        if (subject.builtin()) {
            return GALLERY;
        }
        EnumMap<RequestKind, Subject.Request> kinds = new EnumMap<>(RequestKind.class);
        subject.requests().forEach((key, r) -> kinds.put(RequestKind.byKey(key), r));
        return new Requests(kinds, subject.store().map(s -> s.listing().equals("api")).orElse(false));
    }

    public boolean declares(RequestKind kind) {
        return kinds.containsKey(kind);
    }

    String path(RequestKind kind) {
        return kinds.get(kind).path();
    }

    String imagePath(String name) {
        return path(RequestKind.IMAGE).replace("{image}", name);
    }

    String uploadField() {
        String field = kinds.get(RequestKind.UPLOAD).field();
        return field == null || field.isBlank() ? "file" : field;
    }

    /** Fails, before the run, when the mix asks for a kind the app does not declare. */
    public void require(RequestMix mix, String subject) {
        for (RequestKind kind : RequestKind.values()) {
            if (mix.includes(kind) && !declares(kind)) {
                throw new BenchException("The request mix asks for " + kind.key() + ", which " + subject + " does not declare: add [requests."
                        + kind.key() + "] to its manifest, or leave " + kind.key() + " out of --mix (it declares "
                        + String.join(", ", kinds.keySet().stream().map(RequestKind::key).sorted().toList()) + ").");
            }
        }
    }

    /** The kinds it declares, in the generator's order. */
    List<RequestKind> declared() {
        return kinds.keySet().stream().sorted().toList();
    }
}
