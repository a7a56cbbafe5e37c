package org.gallerybench.server;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.util.List;

/** The JSON shapes of the API. */
final class JsonViews {
    private JsonViews() {
    }

    static JsonObject image(StoredImage image) {
        String seg = Html.segment(image.name());
        JsonObjectBuilder b = Json.createObjectBuilder()
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
        JsonArrayBuilder images = Json.createArrayBuilder();
        page.images().forEach(i -> images.add(image(i)));
        JsonObjectBuilder b = Json.createObjectBuilder()
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
        JsonArrayBuilder array = Json.createArrayBuilder();
        images.forEach(i -> array.add(image(i)));
        return Json.createObjectBuilder().add("images", array).build();
    }

    static JsonObject error(int status, String reason, String message) {
        return Json.createObjectBuilder().add("status", status).add("error", reason).add("message", message).build();
    }
}
