"""A small image gallery on Flask, of the kind the old container-versus-VM study measured, and built as that study's app
was: GET / lists the images, POST /upload takes one in the form field `file` and stores it in its own folder,
static/uploads, and Flask's own static route serves the images from there (/static/uploads/NAME). An app like this keeps
its images inside its own files, so Gallery Bench measures it from a copy of them ([store] folder in subject.toml).

It runs from Debian's python3-flask and gunicorn packages (no PyPI):

    gunicorn --workers 1 --bind 127.0.0.1:5300 app:app

Configuration, from the environment:
    UPLOAD_DIR                the folder it stores images in (default ./static/uploads, the one it serves them from)
    GALLERY_MAX_UPLOAD_BYTES  the largest upload it takes (default 10 MiB)
"""
import html
import os
import re
import uuid

from flask import Flask, redirect, request

UPLOAD_DIR = os.path.abspath(os.environ.get("UPLOAD_DIR", os.path.join(os.path.dirname(__file__), "static", "uploads")))
MAX_UPLOAD_BYTES = int(os.environ.get("GALLERY_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
ALLOWED = {".jpg", ".jpeg", ".png", ".gif", ".webp"}
SAFE = re.compile(r"[^A-Za-z0-9._-]+")

os.makedirs(UPLOAD_DIR, exist_ok=True)
app = Flask(__name__)  # its static route serves static/uploads/NAME: where the images are
app.config["MAX_CONTENT_LENGTH"] = MAX_UPLOAD_BYTES


def images():
    """The stored images, newest first; hidden files (a reset's .kept folder, partial writes) are not images."""
    entries = [e for e in os.scandir(UPLOAD_DIR) if e.is_file() and not e.name.startswith(".")
               and os.path.splitext(e.name)[1].lower() in ALLOWED]
    entries.sort(key=lambda e: (-e.stat().st_mtime, e.name))
    return [e.name for e in entries]


@app.get("/")
def gallery():
    names = images()
    items = "\n".join(
        '<li><a href="/static/uploads/{0}"><img src="/static/uploads/{0}" alt="{1}" loading="lazy" width="200"></a></li>'
        .format(html.escape(n, quote=True), html.escape(n)) for n in names)
    return ("<!doctype html><html><head><meta charset=\"utf-8\"><title>Gallery</title></head><body>"
            "<h1>Gallery</h1><p>{} images</p>"
            "<form action=\"/upload\" method=\"post\" enctype=\"multipart/form-data\">"
            "<input type=\"file\" name=\"file\" accept=\"image/*\"> <button>Upload</button></form>"
            "<ul>{}</ul></body></html>").format(len(names), items)


@app.post("/upload")
def upload():
    f = request.files.get("file")
    if f is None or not f.filename:
        return "No file: send an image in the form field 'file'.\n", 400
    ext = os.path.splitext(f.filename)[1].lower()
    if ext not in ALLOWED:
        return "Not an image this gallery takes: send .jpg, .png, .gif or .webp.\n", 415
    base = SAFE.sub("-", os.path.splitext(os.path.basename(f.filename))[0]).strip(".-") or "image"
    name = base + ext
    if os.path.exists(os.path.join(UPLOAD_DIR, name)):
        name = "{}-{}{}".format(base, uuid.uuid4().hex[:8], ext)
    part = os.path.join(UPLOAD_DIR, "." + name + ".part")
    f.save(part)
    os.replace(part, os.path.join(UPLOAD_DIR, name))
    return redirect("/", code=303)


@app.errorhandler(413)
def too_large(_):
    return "The upload is larger than {} bytes.\n".format(MAX_UPLOAD_BYTES), 413
