package org.gallerybench.engine.load;

/** What the load generator asks the gallery for. */
public enum RequestKind {
    /** GET /: the gallery page. */
    PAGE("page", "GET /"),
    /** GET /images/{name}: one stored image. */
    IMAGE("image", "GET /images/{name}"),
    /** POST /upload: a new image, made up front and valid. */
    UPLOAD("upload", "POST /upload");

    private final String key;
    private final String label;

    RequestKind(String key, String label) {
        this.key = key;
        this.label = label;
    }

    public String key() {
        return key;
    }

    public String label() {
        return label;
    }

    public static RequestKind byKey(String key) {
        for (RequestKind k : values()) {
            if (k.key.equalsIgnoreCase(key.strip())) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown request kind '" + key + "': use page, image or upload");
    }
}
