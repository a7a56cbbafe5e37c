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
import java.util.HashMap;

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
    /** Below this much free space the store reports itself not ready: an upload and its thumbnail need room. */
    static final long MIN_FREE_BYTES = 64 * 1024;
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
    /** Free bytes the last upload refused for lack of space would have needed; 0 once an upload fits again. */
    private volatile long neededByLastFailure;

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

    /** True when the directory can be read and written and has room: the store can serve and accept images. */
    public boolean isHealthy() {
        return Files.isDirectory(dir) && Files.isReadable(dir) && Files.isWritable(dir) && Files.isWritable(thumbs)
                && hasRoom();
    }

    /** Bytes the upload directory's file system has free for this process, or -1 if it cannot be read. */
    public long usableBytes() {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * False while the disk is too full to take an upload: less than {@link #MIN_FREE_BYTES} free, or less than the
     * last upload that failed for lack of space needed. It turns true by itself once space is freed.
     */
    public boolean hasRoom() {
        long free = usableBytes();
        if (free < 0) {
            return true; // unknown: the permission checks decide
        }
        return free >= Math.max(MIN_FREE_BYTES, neededByLastFailure);
    }

    /** Why the store is not ready, in words, or empty when it is. */
    public Optional<String> problem() {
        if (!Files.isDirectory(dir) || !Files.isReadable(dir)) {
            return Optional.of("the upload directory " + dir + " cannot be read");
        }
        if (!Files.isWritable(dir) || !Files.isWritable(thumbs)) {
            return Optional.of("the upload directory " + dir + " cannot be written");
        }
        if (!hasRoom()) {
            return Optional.of("the disk of " + dir + " is full (" + Sizes.human(Math.max(0, usableBytes())) + " free)");
        }
        return Optional.empty();
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
        // The index holds what is known since the list was built (dimensions read since): without this look-up, every
        // page of images that came from disk re-read each image's header, an ImageIO stream per image per request.
        slice.replaceAll(image -> withDimensions(index.getOrDefault(image.name(), image)));
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
        long total = 0;
        try {
            byte[] head = new byte[ImageType.SNIFF_BYTES];
            int headLength = 0;
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
        } catch (IOException e) {
            if (isOutOfSpace(e)) {
                throw diskFull(label, total + MIN_FREE_BYTES, e);
            }
            throw e;
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

    /**
     * Gives each staged upload a unique final name and adds it to the gallery, all or nothing: each thumbnail is
     * written before its image gets a name, and if any file cannot be stored (a full disk), every file this call
     * made is removed again and the gallery is as it was.
     *
     * @throws GalleryException 507 when the disk is full
     */
    public List<StoredImage> commit(List<Staged> uploads) throws IOException {
        List<StoredImage> stored = new ArrayList<>(uploads.size());
        List<Path> made = new ArrayList<>();
        // Changes made by hand since the last look must still be picked up after this commit's own.
        boolean indexWasCurrent = dirTime().equals(knownDirTime);
        try {
            for (Staged staged : uploads) {
                Path thumbTemp = thumbs.resolve(PART_PREFIX + UUID.randomUUID() + PART_SUFFIX);
                made.add(thumbTemp);
                Files.write(thumbTemp, staged.thumbnail().data(), StandardOpenOption.CREATE_NEW);
                String name = claimName(staged);
                Path file = dir.resolve(name);
                made.add(file);
                Path thumb = thumbs.resolve(name + "." + staged.thumbnail().extension());
                made.add(thumb);
                moveReplacing(thumbTemp, thumb);
                Files.deleteIfExists(thumbs.resolve(name + "." + (staged.thumbnail().png() ? "jpg" : "png")));
                BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
                stored.add(new StoredImage(name, staged.type(), attrs.size(), attrs.lastModifiedTime().toInstant(),
                        staged.thumbnail().sourceWidth(), staged.thumbnail().sourceHeight()));
            }
        } catch (IOException | RuntimeException e) {
            for (Path p : made.reversed()) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException cleanup) {
                    LOG.log(Level.WARNING, "Could not remove " + p + " after a failed upload", cleanup);
                }
            }
            if (e instanceof IOException io && isOutOfSpace(io)) {
                long needed = 0;
                for (Staged staged : uploads) {
                    needed += staged.bytes() + staged.thumbnail().data().length;
                }
                String label = uploads.size() == 1 ? "The image" : "The " + uploads.size() + " images";
                throw diskFull(label, needed, io);
            }
            throw e;
        }
        for (Staged staged : uploads) {
            Files.deleteIfExists(staged.temp());
        }
        synchronized (indexLock) {
            for (StoredImage image : stored) {
                index.put(image.name(), image);
            }
            publish();
        }
        neededByLastFailure = 0;
        if (indexWasCurrent) {
            knownDirTime = dirTime();
        }
        return stored;
    }

    /** True when a write failed because the file system is full (ENOSPC) or over quota (EDQUOT). */
    static boolean isOutOfSpace(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }

    private GalleryException diskFull(String label, long needed, IOException cause) {
        long free = Math.max(0, usableBytes());
        neededByLastFailure = Math.max(MIN_FREE_BYTES, needed);
        LOG.warning("Upload refused, the disk of " + dir + " is full (" + free + " bytes free): " + cause.getMessage());
        return new GalleryException(Status.INSUFFICIENT_STORAGE_507, label + " could not be stored: the server's disk"
                + " is full (" + Sizes.human(free) + " free in its upload folder). Nothing of this upload was kept."
                + " Free space on the server, then upload again.", cause);
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
            moveReplacing(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
        Files.deleteIfExists(thumbs.resolve(name + "." + (thumbnail.png() ? "jpg" : "png")));
        return target;
    }

    private static void moveReplacing(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
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
            Map<String, StoredImage> found = new HashMap<>();
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
            for (String gone : index.keySet()) {
                if (!found.containsKey(gone)) { // removed by hand: its thumbnail goes too
                    for (String ext : new String[] {"jpg", "png"}) {
                        Files.deleteIfExists(thumbs.resolve(gone + "." + ext));
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
