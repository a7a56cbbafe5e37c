package org.gallerybench.server;

import io.helidon.http.Status;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The images on disk, and an index of them in memory.
 *
 * <p>Every write is atomic: an upload is streamed to a hidden temporary file in the same directory, checked,
 * and only then given its final name with a hard link (which fails rather than overwrite). A crash or a cut
 * connection leaves at most a hidden temporary file, which the next start removes. The index is rebuilt from
 * the directory at start-up, and again whenever the directory changes behind the server's back, so images
 * copied in by hand appear too.
 */
public final class ImageStore {
    private static final Logger LOG = Logger.getLogger(ImageStore.class.getName());
    private static final String THUMBS = ".thumbs";
    private static final String PART_PREFIX = ".upload-";
    private static final String PART_SUFFIX = ".part";
    private static final Comparator<StoredImage> NEWEST_FIRST = Comparator.comparing(StoredImage::uploadedAt)
            .reversed().thenComparing(StoredImage::name);
    /** How often, at most, the directory is checked for changes made by hand. */
    private static final long RESCAN_CHECK_NANOS = 500_000_000L;

    private final Path dir;
    private final Path thumbs;
    private final ImageCodec codec;
    private final Map<String, StoredImage> index = new ConcurrentHashMap<>();
    private final Map<String, Object> thumbLocks = new ConcurrentHashMap<>();
    private final AtomicLong version = new AtomicLong();
    private final Object indexLock = new Object();
    private volatile List<StoredImage> newestFirst = List.of();
    private volatile FileTime knownDirTime = FileTime.fromMillis(0);
    private volatile long lastCheckNanos;
    private volatile boolean closed;

    private ImageStore(Path dir, ImageCodec codec) {
        this.dir = dir;
        this.thumbs = dir.resolve(THUMBS);
        this.codec = codec;
    }

    /** Opens (creating if needed) the store in {@code dir}, removes leftovers of interrupted uploads, and indexes it. */
    public static ImageStore open(Path dir, ImageCodec codec) throws IOException {
        Files.createDirectories(dir);
        ImageStore store = new ImageStore(dir, codec);
        Files.createDirectories(store.thumbs);
        store.removeLeftovers();
        store.rescan();
        store.pruneThumbnails();
        return store;
    }

    public Path directory() {
        return dir;
    }

    /** Changes whenever the set of images changes; caches key on it. */
    public long version() {
        refreshIfChangedOnDisk();
        return version.get();
    }

    public int size() {
        return newestFirst.size();
    }

    /** True when the directory can be read and written: the store can serve and accept images. */
    public boolean isHealthy() {
        return Files.isDirectory(dir) && Files.isReadable(dir) && Files.isWritable(dir) && Files.isWritable(thumbs);
    }

    /** A page of images, newest first. */
    public record Page(List<StoredImage> images, int number, int size, int total) {
        public int pages() {
            return Math.max(1, (total + size - 1) / size);
        }

        public boolean hasNext() {
            return number < pages();
        }

        public boolean hasPrevious() {
            return number > 1;
        }
    }

    public Page page(int number, int size) {
        refreshIfChangedOnDisk();
        List<StoredImage> all = newestFirst;
        int from = (int) Math.min((long) (number - 1) * size, all.size());
        int to = Math.min(from + size, all.size());
        List<StoredImage> slice = new ArrayList<>(all.subList(from, to));
        slice.replaceAll(this::withDimensions);
        return new Page(List.copyOf(slice), number, size, all.size());
    }

    public Optional<StoredImage> find(String name) {
        StoredImage image = index.get(name);
        if (image == null) {
            refreshIfChangedOnDisk();
            image = index.get(name);
        }
        return Optional.ofNullable(image).map(this::withDimensions);
    }

    public Path file(StoredImage image) {
        return dir.resolve(image.name());
    }

    /** The image's thumbnail, made now if it is missing or older than the image (images replaced by hand). */
    public Path thumbnail(StoredImage image) throws IOException {
        for (String ext : new String[] {"jpg", "png"}) {
            Path t = thumbs.resolve(image.name() + "." + ext);
            if (Files.exists(t) && !Files.getLastModifiedTime(t).toInstant().isBefore(image.uploadedAt())) {
                return t;
            }
        }
        synchronized (thumbLocks.computeIfAbsent(image.name(), k -> new Object())) {
            try {
                for (String ext : new String[] {"jpg", "png"}) {
                    Path t = thumbs.resolve(image.name() + "." + ext);
                    if (Files.exists(t) && !Files.getLastModifiedTime(t).toInstant().isBefore(image.uploadedAt())) {
                        return t;
                    }
                }
                return writeThumbnail(image.name(), codec.thumbnail(file(image)));
            } finally {
                thumbLocks.remove(image.name());
            }
        }
    }

    /** An upload that has been written and checked, but is not yet in the gallery. */
    public record Staged(Path temp, String baseName, ImageType type, long bytes, ImageCodec.Thumbnail thumbnail) {
    }

    /**
     * Streams one upload to a temporary file and checks it: not empty, not over {@code maxBytes}, and an image
     * of an accepted type. Nothing is visible in the gallery until {@link #commit(List)}.
     *
     * @throws GalleryException 400 if empty, 413 if too large, 415 if not an accepted image
     */
    public Staged stage(String clientName, InputStream content, long maxBytes) throws IOException {
        String label = clientName == null || clientName.isBlank() ? "The file" : "'" + clientName + "'";
        Path temp = dir.resolve(PART_PREFIX + UUID.randomUUID() + PART_SUFFIX);
        boolean ok = false;
        try {
            byte[] head = new byte[ImageType.SNIFF_BYTES];
            int headLength = 0;
            long total = 0;
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = content.read(buffer)) > 0) {
                    if (headLength < head.length) {
                        int take = Math.min(n, head.length - headLength);
                        System.arraycopy(buffer, 0, head, headLength, take);
                        headLength += take;
                    }
                    total += n;
                    if (total > maxBytes) {
                        throw new GalleryException(Status.REQUEST_ENTITY_TOO_LARGE_413,
                                label + " is larger than the limit of " + Sizes.human(maxBytes)
                                        + ". Upload a smaller image, or raise GALLERY_MAX_UPLOAD_BYTES on the server.");
                    }
                    out.write(buffer, 0, n);
                }
            }
            if (total == 0) {
                throw new GalleryException(Status.BAD_REQUEST_400, label + " is empty. Choose an image file to upload.");
            }
            ImageType type = ImageType.sniff(head, headLength).orElseThrow(() -> new GalleryException(
                    Status.UNSUPPORTED_MEDIA_TYPE_415,
                    label + " is not an image this gallery accepts. Accepted types: " + ImageType.acceptedList() + "."));
            ImageCodec.Thumbnail thumbnail;
            try {
                thumbnail = codec.thumbnail(temp);
            } catch (IOException e) {
                throw new GalleryException(Status.UNSUPPORTED_MEDIA_TYPE_415, label + " starts like a " + type.name()
                        + " image but cannot be decoded (" + e.getMessage() + "). Accepted types: "
                        + ImageType.acceptedList() + ".", e);
            }
            ok = true;
            return new Staged(temp, SafeNames.base(clientName), type, total, thumbnail);
        } finally {
            if (!ok) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** Removes a staged upload that will not be committed. */
    public void discard(Staged staged) {
        try {
            Files.deleteIfExists(staged.temp());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Could not remove " + staged.temp(), e);
        }
    }

    /** Gives each staged upload a unique final name and adds it to the gallery. */
    public List<StoredImage> commit(List<Staged> uploads) throws IOException {
        List<StoredImage> stored = new ArrayList<>(uploads.size());
        for (Staged staged : uploads) {
            String name = claimName(staged);
            Files.deleteIfExists(staged.temp());
            Path file = dir.resolve(name);
            writeThumbnail(name, staged.thumbnail());
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
            StoredImage image = new StoredImage(name, staged.type(), attrs.size(), attrs.lastModifiedTime().toInstant(),
                    staged.thumbnail().sourceWidth(), staged.thumbnail().sourceHeight());
            stored.add(image);
            synchronized (indexLock) {
                index.put(name, image);
                publish();
            }
        }
        knownDirTime = dirTime();
        return stored;
    }

    private String claimName(Staged staged) throws IOException {
        for (int attempt = 0; attempt < 100_000; attempt++) {
            String candidate = staged.baseName() + (attempt == 0 ? "" : "-" + attempt) + "." + staged.type().extension();
            if (index.containsKey(candidate)) {
                continue;
            }
            Path target = dir.resolve(candidate);
            try {
                // A hard link is an exclusive create: it never replaces an existing file, even under a race.
                Files.createLink(target, staged.temp());
                return candidate;
            } catch (FileAlreadyExistsException taken) {
                // try the next counter
            } catch (UnsupportedOperationException | IOException noLinks) {
                synchronized (indexLock) {
                    if (!Files.exists(target)) {
                        Files.move(staged.temp(), target, StandardCopyOption.ATOMIC_MOVE);
                        return candidate;
                    }
                }
            }
        }
        throw new IOException("no free name for " + staged.baseName());
    }

    private Path writeThumbnail(String name, ImageCodec.Thumbnail thumbnail) throws IOException {
        Path target = thumbs.resolve(name + "." + thumbnail.extension());
        Path temp = thumbs.resolve(PART_PREFIX + UUID.randomUUID() + PART_SUFFIX);
        try {
            Files.write(temp, thumbnail.data(), StandardOpenOption.CREATE_NEW);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        Files.deleteIfExists(thumbs.resolve(name + "." + (thumbnail.png() ? "jpg" : "png")));
        return target;
    }

    /** Reads dimensions and makes missing thumbnails for images found on disk; runs in the background. */
    public void backfill() {
        for (StoredImage image : newestFirst) {
            if (closed) {
                return;
            }
            try {
                withDimensions(image);
                thumbnail(image);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.FINE, "Cannot make a thumbnail of " + image.name(), e);
            }
        }
    }

    private StoredImage withDimensions(StoredImage image) {
        if (image.hasDimensions()) {
            return image;
        }
        try {
            ImageCodec.Size size = codec.size(file(image));
            StoredImage sized = image.withDimensions(size.width(), size.height());
            index.replace(image.name(), image, sized);
            return sized;
        } catch (IOException | RuntimeException e) {
            return image;
        }
    }

    private void refreshIfChangedOnDisk() {
        long now = System.nanoTime();
        if (now - lastCheckNanos < RESCAN_CHECK_NANOS) {
            return;
        }
        lastCheckNanos = now;
        if (!dirTime().equals(knownDirTime)) {
            try {
                rescan();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "Cannot re-read the upload directory " + dir, e);
            }
        }
    }

    /** Rebuilds the index from the directory: every regular, non-hidden file whose content is an accepted image. */
    void rescan() throws IOException {
        synchronized (indexLock) {
            FileTime before = dirTime();
            Map<String, StoredImage> found = new java.util.HashMap<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path entry : entries) {
                    String name = entry.getFileName().toString();
                    if (name.startsWith(".")) {
                        continue;
                    }
                    try {
                        BasicFileAttributes attrs = Files.readAttributes(entry, BasicFileAttributes.class);
                        if (!attrs.isRegularFile()) {
                            continue;
                        }
                        Optional<ImageType> type = sniff(entry);
                        if (type.isEmpty()) {
                            continue;
                        }
                        Instant modified = attrs.lastModifiedTime().toInstant();
                        StoredImage known = index.get(name);
                        if (known != null && known.bytes() == attrs.size() && known.uploadedAt().equals(modified)) {
                            found.put(name, known);
                        } else {
                            found.put(name, new StoredImage(name, type.get(), attrs.size(), modified, 0, 0));
                        }
                    } catch (NoSuchFileException gone) {
                        // removed while we looked
                    }
                }
            }
            index.keySet().retainAll(found.keySet());
            index.putAll(found);
            publish();
            knownDirTime = before;
        }
    }

    private void publish() {
        List<StoredImage> sorted = new ArrayList<>(index.values());
        sorted.sort(NEWEST_FIRST);
        newestFirst = List.copyOf(sorted);
        version.incrementAndGet();
    }

    private static Optional<ImageType> sniff(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(ImageType.SNIFF_BYTES);
            return ImageType.sniff(head, head.length);
        }
    }

    private FileTime dirTime() {
        try {
            return Files.getLastModifiedTime(dir);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private void removeLeftovers() throws IOException {
        for (Path d : List.of(dir, thumbs)) {
            try (DirectoryStream<Path> parts = Files.newDirectoryStream(d, PART_PREFIX + "*" + PART_SUFFIX)) {
                for (Path part : parts) {
                    Files.deleteIfExists(part);
                }
            }
        }
    }

    /** Stops background work (the backfill); the store must not be used afterwards. */
    public void close() {
        closed = true;
    }

    /** Removes thumbnails whose image is gone. */
    void pruneThumbnails() {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(thumbs)) {
            for (Path t : entries) {
                String n = t.getFileName().toString();
                int dot = n.lastIndexOf('.');
                if (dot > 0 && !index.containsKey(n.substring(0, dot))) {
                    Files.deleteIfExists(t);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
