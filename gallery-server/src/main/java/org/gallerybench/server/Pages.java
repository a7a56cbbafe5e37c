package org.gallerybench.server;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The gallery's HTML: one layout for the gallery, the upload form and error pages. No JavaScript needed. */
final class Pages {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private static final String STYLE = """
            :root{--bg:#f6f7f9;--card:#fff;--ink:#1d2330;--muted:#667085;--line:#e4e7ec;--accent:#2563eb;--bad:#b42318}
            @media (prefers-color-scheme:dark){:root{--bg:#101318;--card:#181c23;--ink:#e6e9ef;--muted:#98a2b3;--line:#2a303a;--accent:#6ea8ff;--bad:#f97066}}
            *{box-sizing:border-box}
            body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--ink)}
            header{display:flex;flex-wrap:wrap;gap:12px 24px;align-items:center;justify-content:space-between;padding:16px 24px;background:var(--card);border-bottom:1px solid var(--line)}
            header h1{margin:0;font-size:20px;font-weight:650}
            header h1 a{color:inherit;text-decoration:none}
            header .count{color:var(--muted);font-size:14px;margin-left:8px;font-weight:400}
            main{max-width:1280px;margin:0 auto;padding:24px}
            form.upload{display:flex;flex-wrap:wrap;gap:8px;align-items:center}
            input[type=file]{max-width:260px;font:inherit;color:var(--muted)}
            button,.button{font:inherit;font-weight:600;border:0;border-radius:8px;padding:8px 16px;background:var(--accent);color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
            .grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:16px;list-style:none;margin:0;padding:0}
            .grid li{background:var(--card);border:1px solid var(--line);border-radius:10px;overflow:hidden}
            .grid a{display:block;color:inherit;text-decoration:none}
            .grid img{display:block;width:100%;aspect-ratio:1/1;object-fit:cover;background:var(--line)}
            .grid .caption{display:block;padding:8px 10px;font-size:13px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
            .grid .meta{display:block;color:var(--muted);font-size:12px}
            .empty{text-align:center;color:var(--muted);padding:64px 0;font-size:18px}
            nav.pager{display:flex;gap:12px;justify-content:center;align-items:center;margin:28px 0 8px;color:var(--muted)}
            nav.pager a{color:var(--accent);font-weight:600;text-decoration:none}
            .panel{max-width:640px;margin:48px auto;background:var(--card);border:1px solid var(--line);border-radius:12px;padding:28px}
            .panel h2{margin-top:0}
            .error h2{color:var(--bad)}
            .hint{color:var(--muted);font-size:14px}
            """;

    private Pages() {
    }

    static String gallery(ImageStore.Page page, long maxUploadBytes) {
        StringBuilder body = new StringBuilder(16 * 1024);
        if (page.total() == 0) {
            body.append("<p class=\"empty\">No images yet.</p>\n");
        } else if (page.images().isEmpty()) {
            body.append("<p class=\"empty\">There is no page ").append(page.number())
                    .append(". <a href=\"/\">Back to the first page</a></p>\n");
        } else {
            body.append("<ul class=\"grid\">\n");
            for (StoredImage image : page.images()) {
                String seg = Html.segment(image.name());
                String name = Html.escape(image.name());
                body.append("<li><a href=\"/images/").append(seg).append("\" title=\"").append(name).append(" · uploaded ").append(date(image)).append("\">")
                        .append("<img src=\"/thumbs/").append(seg).append("?v=").append(image.version())
                        .append("\" alt=\"").append(name).append("\" loading=\"lazy\" decoding=\"async\">")
                        .append("<span class=\"caption\">").append(name).append("<span class=\"meta\">")
                        .append(image.hasDimensions() ? image.width() + " × " + image.height() + " · " : "")
                        .append(Sizes.human(image.bytes())).append("</span></span></a></li>\n");
            }
            body.append("</ul>\n");
        }
        if (page.pages() > 1) {
            body.append("<nav class=\"pager\" aria-label=\"Pages\">");
            if (page.hasPrevious()) {
                body.append("<a rel=\"prev\" href=\"/?page=").append(page.number() - 1).append("\">← Previous</a>");
            }
            body.append("<span>Page ").append(page.number()).append(" of ").append(page.pages()).append("</span>");
            if (page.hasNext()) {
                body.append("<a rel=\"next\" href=\"/?page=").append(page.number() + 1).append("\">Next →</a>");
            }
            body.append("</nav>\n");
        }
        String title = page.number() > 1 ? "Gallery · page " + page.number() : "Gallery";
        return layout(title, page.total(), uploadForm(maxUploadBytes), body.toString());
    }

    static String uploadPage(long maxUploadBytes, int total) {
        String body = "<section class=\"panel\"><h2>Upload images</h2>" + uploadForm(maxUploadBytes)
                + "<p class=\"hint\">" + ImageType.acceptedList() + ", up to " + Sizes.human(maxUploadBytes)
                + " each. You can choose several at once.</p></section>\n";
        return layout("Upload · Gallery", total, "", body);
    }

    static String error(int status, String reason, String message) {
        String body = "<section class=\"panel error\"><h2>" + status + " · " + Html.escape(reason) + "</h2><p>"
                + Html.escape(message) + "</p><p><a class=\"button\" href=\"/\">Back to the gallery</a></p></section>\n";
        return layout(reason + " · Gallery", -1, "", body);
    }

    private static String uploadForm(long maxUploadBytes) {
        return "<form class=\"upload\" action=\"/upload\" method=\"post\" enctype=\"multipart/form-data\">"
                + "<input type=\"file\" name=\"file\" id=\"file\" multiple required accept=\"" + ImageType.acceptAttribute()
                + "\" aria-label=\"Images to upload (up to " + Sizes.human(maxUploadBytes) + " each)\">"
                + "<button type=\"submit\" id=\"upload\">Upload</button></form>";
    }

    private static String layout(String title, int total, String headerExtra, String body) {
        String count = total < 0 ? "" : "<span class=\"count\">" + total + (total == 1 ? " image" : " images") + "</span>";
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + Html.escape(title) + "</title><style>" + STYLE + "</style></head>\n<body>"
                + "<header><h1><a href=\"/\">Gallery</a>" + count + "</h1>" + headerExtra + "</header>\n<main>\n"
                + body + "</main></body></html>\n";
    }

    static String date(StoredImage image) {
        return DATE.format(image.uploadedAt());
    }
}
