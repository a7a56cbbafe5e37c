package org.gallerybench.server;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.util.List;
import java.util.Map;

/** The JSON shapes of the API. */
final class JsonViews {
    /**
     * One factory for every view: {@code Json.createObjectBuilder()} looks the JSON provider up through the service
     * loader on each call, which made an /api/images page of 100 images cost ~6 ms of CPU and most of its garbage.
     */
    private static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());

    private JsonViews() {
    }

    static JsonObject image(StoredImage image) {
        String seg = Html.segment(image.name());
        JsonObjectBuilder b = JSON.createObjectBuilder()
                .add("name", image.name())
                .add("url", "/images/" + seg)
                .add("legacyUrl", "/static/uploads/" + seg)
                .add("thumbnailUrl", "/thumbs/" + seg + "?v=" + image.version())
                .add("bytes", image.bytes())
                .add("contentType", image.type().contentType());
        if (image.hasDimensions()) {
            b.add("width", image.width()).add("height", image.height());
        } else {
            b.addNull("width").addNull("height");
        }
        return b.add("uploadedAt", image.uploadedAt().toString()).build();
    }

    static JsonObject page(ImageStore.Page page) {
        JsonArrayBuilder images = JSON.createArrayBuilder();
        page.images().forEach(i -> images.add(image(i)));
        JsonObjectBuilder b = JSON.createObjectBuilder()
                .add("page", page.number())
                .add("pageSize", page.size())
                .add("pages", page.pages())
                .add("total", page.total())
                .add("images", images);
        if (page.hasNext()) {
            b.add("next", "/api/images?page=" + (page.number() + 1) + "&size=" + page.size());
        }
        if (page.hasPrevious()) {
            b.add("previous", "/api/images?page=" + (page.number() - 1) + "&size=" + page.size());
        }
        return b.build();
    }

    static JsonObject stored(List<StoredImage> images) {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        images.forEach(i -> array.add(image(i)));
        return JSON.createObjectBuilder().add("images", array).build();
    }

    static JsonObject error(int status, String reason, String message) {
        return JSON.createObjectBuilder().add("status", status).add("error", reason).add("message", message).build();
    }
}
