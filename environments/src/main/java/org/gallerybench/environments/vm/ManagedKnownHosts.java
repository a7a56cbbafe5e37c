package org.gallerybench.environments.vm;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.UserInfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import org.gallerybench.environments.FileLocks;

/**
 * The known_hosts file this project manages (OpenSSH format, one {@code host type key} per line). The first key
 * seen for a host is recorded; any other key later, of the same type or of another, is refused as CHANGED (a host
 * that suddenly shows an ECDSA key where an Ed25519 one was recorded is as suspect as one with a new Ed25519 key).
 * The connection asks for the recorded types first ({@link #typesOf}), as OpenSSH does, so that a host offering
 * several keys is checked against the one on record. The check is never disabled: to trust a recreated machine,
 * {@link #forget} its old key first.
 */
public final class ManagedKnownHosts implements HostKeyRepository {
    private final Path file;

    public ManagedKnownHosts(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized int check(String host, byte[] key) {
        String type;
        try {
            type = new HostKey(host, key).getType();
        } catch (JSchException e) {
            return CHANGED; // a key we cannot even parse is not one we trust
        }
        String encoded = Base64.getEncoder().encodeToString(key);
        boolean known = false;
        for (String[] entry : entries()) {
            if (!matchesHost(entry[0], host)) {
                continue;
            }
            if (entry[1].equals(type) && entry[2].equals(encoded)) {
                return OK;
            }
            known = true;
        }
        if (known) {
            return CHANGED;
        }
        append(host, type, encoded); // trust on first use, and remember
        return OK;
    }

    /** The key types recorded for {@code host}, in file order. */
    public synchronized List<String> typesOf(String host) {
        return entries().stream().filter(e -> matchesHost(e[0], host)).map(e -> e[1]).distinct().toList();
    }

    @Override
    public void add(HostKey hostkey, UserInfo ui) {
        append(hostkey.getHost(), hostkey.getType(), hostkey.getKey());
    }

    @Override
    public void remove(String host, String type) {
        forget(host);
    }

    @Override
    public void remove(String host, String type, byte[] key) {
        forget(host);
    }

    /** Removes every key recorded for {@code host} (a known_hosts name: {@code host} or {@code [host]:port}). */
    public synchronized void forget(String host) {
        try {
            if (!Files.exists(file)) {
                return;
            }
            List<String> kept = Files.readAllLines(file).stream()
                    .filter(line -> line.isBlank() || line.startsWith("#") || !matchesHost(line.split("\\s+")[0], host))
                    .toList();
            FileLocks.writeAtomically(file,
                    kept.stream().map(l -> l + "\n").collect(Collectors.joining()).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String getKnownHostsRepositoryID() {
        return file.toString();
    }

    @Override
    public HostKey[] getHostKey() {
        return keys(null);
    }

    @Override
    public HostKey[] getHostKey(String host, String type) {
        return Arrays.stream(keys(host)).filter(k -> type == null || k.getType().equals(type)).toArray(HostKey[]::new);
    }

    private HostKey[] keys(String host) {
        List<HostKey> out = new ArrayList<>();
        for (String[] e : entries()) {
            if (host == null || matchesHost(e[0], host)) {
                try {
                    out.add(new HostKey(e[0], Base64.getDecoder().decode(e[2])));
                } catch (JSchException | IllegalArgumentException ignored) {
                    // an unreadable line is not a key
                }
            }
        }
        return out.toArray(HostKey[]::new);
    }

    private List<String[]> entries() {
        try {
            if (!Files.exists(file)) {
                return List.of();
            }
            return Files.readAllLines(file).stream()
                    .filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .map(l -> l.trim().split("\\s+"))
                    .filter(p -> p.length >= 3)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean matchesHost(String names, String host) {
        return Arrays.asList(names.split(",")).contains(host);
    }

    private void append(String host, String type, String key) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, host + " " + type + " " + key + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
