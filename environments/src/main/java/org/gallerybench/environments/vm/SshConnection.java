package org.gallerybench.environments.vm;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpException;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.gallerybench.environments.EnvironmentException;
import org.gallerybench.environments.ServerArtifact;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;

/**
 * One SSH session to a machine (JSch, the maintained com.github.mwiede fork), with a channel per command.
 * Host keys are checked against the project's known_hosts; the check is never turned off.
 */
public final class SshConnection implements AutoCloseable {
    private final SshTarget target;
    private final ManagedKnownHosts knownHosts;
    private final Session session;

    private SshConnection(SshTarget target, ManagedKnownHosts knownHosts, Session session) {
        this.target = target;
        this.knownHosts = knownHosts;
        this.session = session;
    }

    /** Connects and authenticates with the target's key; errors say what failed and what to do. */
    public static SshConnection open(SshTarget target, ManagedKnownHosts knownHosts, Duration timeout) {
        if (!Files.isReadable(target.identityFile())) {
            throw new EnvironmentException("The SSH key " + target.identityFile() + " for " + target
                    + " cannot be read: check the path (for Vagrant, see `vagrant ssh-config`).");
        }
        JSch jsch = new JSch();
        try {
            jsch.addIdentity(target.identityFile().toString());
            jsch.setHostKeyRepository(knownHosts);
            Session session = jsch.getSession(target.user(), target.host(), target.port());
            session.setConfig("StrictHostKeyChecking", "yes");
            session.setConfig("PreferredAuthentications", "publickey");
            List<String> known = knownHosts.typesOf(target.knownHostsName());
            if (!known.isEmpty()) {
                // Ask for the recorded key types first, as OpenSSH does; any other key the host shows is refused.
                List<String> order = new ArrayList<>(known);
                for (String algorithm : JSch.getConfig("server_host_key").split(",")) {
                    if (!order.contains(algorithm)) {
                        order.add(algorithm);
                    }
                }
                session.setConfig("server_host_key", String.join(",", order));
            }
            session.setServerAliveInterval(15_000);
            session.setServerAliveCountMax(4);
            session.connect((int) timeout.toMillis());
            return new SshConnection(target, knownHosts, session);
        } catch (JSchException e) {
            throw explain(e, target, knownHosts);
        }
    }

    static EnvironmentException explain(JSchException e, SshTarget target, ManagedKnownHosts knownHosts) {
        String m = String.valueOf(e.getMessage());
        Throwable cause = e.getCause();
        if (m.contains("HostKey has been changed") || m.contains("CHANGED") || m.contains("has been changed")) {
            return new EnvironmentException("The host key of " + target.knownHostsName() + " has changed since it was first"
                    + " recorded in " + knownHosts.file() + ": the connection was refused. If you recreated this machine, forget"
                    + " its old key (gallerybench env forget-host, or delete its line from that file); otherwise, find out why.", e);
        }
        if (m.contains("Auth fail") || m.contains("Auth cancel") || m.contains("USERAUTH fail")) {
            return new EnvironmentException("SSH authentication failed for " + target + " with the key " + target.identityFile()
                    + ": check that this key is in ~" + target.user() + "/.ssh/authorized_keys on the machine.", e);
        }
        if (cause instanceof ConnectException || m.contains("Connection refused")) {
            return new EnvironmentException("SSH to " + target.host() + ":" + target.port() + " was refused: is the VM running,"
                    + " and its sshd up? (For Vagrant: vagrant status, then vagrant up.)", e);
        }
        if (cause instanceof SocketTimeoutException || m.contains("timeout") || m.contains("timed out")) {
            return new EnvironmentException("SSH to " + target.host() + ":" + target.port() + " timed out: the machine does not"
                    + " answer. Is it running and reachable?", e);
        }
        if (cause instanceof UnknownHostException) {
            return new EnvironmentException("Unknown SSH host " + target.host() + ": check the host name.", e);
        }
        return new EnvironmentException("SSH to " + target + " failed: " + m, e);
    }

    public SshTarget target() {
        return target;
    }

    public boolean isConnected() {
        return session.isConnected();
    }

    /** A finished command: its exit code and output. */
    public record Result(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** The output's last lines, for error messages. */
        public String tail(int lines) {
            String all = (stdout + "\n" + stderr).strip();
            List<String> l = all.lines().toList();
            return String.join("\n  ", l.subList(Math.max(0, l.size() - lines), l.size()));
        }
    }

    /** Runs a command on a fresh channel and waits for it, up to {@code timeout}. */
    public Result exec(String command, Duration timeout) {
        ChannelExec channel = null;
        try {
            channel = (ChannelExec) session.openChannel("exec");
            channel.setCommand(command);
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            channel.setErrStream(err);
            InputStream out = channel.getInputStream();
            channel.connect((int) Math.min(timeout.toMillis(), 30_000));
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            long deadline = System.nanoTime() + timeout.toNanos();
            byte[] buffer = new byte[16 * 1024];
            while (true) {
                while (out.available() > 0) {
                    int n = out.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    stdout.write(buffer, 0, n);
                }
                if (channel.isClosed() && out.available() == 0) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new EnvironmentException("The command `" + command + "` on " + target + " did not finish within "
                            + timeout.toSeconds() + " s.");
                }
                Thread.sleep(2);
            }
            return new Result(channel.getExitStatus(), stdout.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (JSchException e) {
            throw explain(e, target, knownHosts);
        } catch (IOException e) {
            throw new EnvironmentException("SSH to " + target + " broke while running `" + command + "`: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnvironmentException("Interrupted while running `" + command + "` on " + target + ".");
        } finally {
            if (channel != null) {
                channel.disconnect();
            }
        }
    }

    /** Runs a command and fails with its last output lines unless it exits 0. */
    public Result run(String command, Duration timeout, String whatFailed) {
        Result r = exec(command, timeout);
        if (!r.ok()) {
            throw new EnvironmentException(whatFailed + " (exit " + r.exitCode() + " from `" + command + "` on " + target + "):\n  "
                    + r.tail(12));
        }
        return r;
    }

    /** A command whose output is read line by line as it arrives; closing it ends the command. */
    public final class Stream implements AutoCloseable {
        private final ChannelExec channel;
        private final Thread reader;

        private Stream(ChannelExec channel, Thread reader) {
            this.channel = channel;
            this.reader = reader;
        }

        public boolean isOpen() {
            return !channel.isClosed();
        }

        @Override
        public void close() {
            channel.disconnect();
            reader.interrupt();
        }
    }

    /**
     * Starts a long-running command (such as {@code top -b}) and hands each output line to {@code lines} on a
     * background thread; {@code onEnd} runs when the output ends.
     */
    public Stream stream(String command, Consumer<String> lines, Runnable onEnd) {
        try {
            ChannelExec channel = (ChannelExec) session.openChannel("exec");
            channel.setCommand(command);
            channel.setPty(false);
            // Ask for the stream before connecting, so that nothing is lost and lines arrive as they are written.
            InputStream out = channel.getInputStream();
            channel.connect(30_000);
            Thread reader = Thread.ofVirtual().name("ssh-stream").start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        lines.accept(line);
                    }
                } catch (IOException ignored) {
                    // closed
                } finally {
                    onEnd.run();
                }
            });
            return new Stream(channel, reader);
        } catch (JSchException | IOException e) {
            throw new EnvironmentException("Cannot start `" + command + "` on " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes {@code remoteDir} hold exactly these files (relative path to local file), uploading over SFTP only
     * those whose SHA-256 differs from what is there, and removing files under {@code prunedSubdirs} that are no
     * longer wanted. Each file is written to a temporary name and renamed, so a cut never leaves half a file.
     *
     * @return the relative paths that were uploaded
     */
    public List<String> sync(Map<String, Path> files, String remoteDir, List<String> prunedSubdirs) {
        Map<String, String> remote = remoteHashes(remoteDir);
        List<String> uploaded = new ArrayList<>();
        ChannelSftp sftp = null;
        try {
            sftp = (ChannelSftp) session.openChannel("sftp");
            sftp.connect(30_000);
            for (Map.Entry<String, Path> f : files.entrySet()) {
                String hash = HexFormat.of().formatHex(ServerArtifact.sha256(f.getValue()));
                if (hash.equals(remote.get(f.getKey()))) {
                    continue;
                }
                String path = remoteDir + "/" + f.getKey();
                mkdirs(sftp, path.substring(0, path.lastIndexOf('/')));
                String temp = path + ".part";
                sftp.put(f.getValue().toString(), temp);
                if (Files.isExecutable(f.getValue())) {
                    sftp.chmod(0755, temp);
                }
                sftp.rename(temp, path);
                uploaded.add(f.getKey());
            }
            for (String stale : remote.keySet()) {
                boolean pruned = prunedSubdirs.stream().anyMatch(d -> stale.startsWith(d + "/"));
                if (pruned && !files.containsKey(stale)) {
                    sftp.rm(remoteDir + "/" + stale);
                }
            }
            return uploaded;
        } catch (JSchException e) {
            throw explain(e, target, knownHosts);
        } catch (SftpException e) {
            throw new EnvironmentException("Uploading to " + remoteDir + " on " + target + " failed: " + e.getMessage()
                    + ". Check that " + target.user() + " may write there.", e);
        } finally {
            if (sftp != null) {
                sftp.disconnect();
            }
        }
    }

    /** SHA-256 of every file under {@code dir} on the machine, by relative path. */
    Map<String, String> remoteHashes(String dir) {
        Result r = exec("cd '" + dir + "' 2>/dev/null && find . -type f ! -name '*.part' -print0 | xargs -0 -r sha256sum", Duration.ofMinutes(5));
        Map<String, String> out = new HashMap<>();
        for (String line : r.stdout().split("\n")) {
            String[] parts = line.strip().split("\\s+", 2);
            if (parts.length == 2 && parts[1].startsWith("./")) {
                out.put(parts[1].substring(2), parts[0]);
            }
        }
        return out;
    }

    private static void mkdirs(ChannelSftp sftp, String dir) throws SftpException {
        StringBuilder path = new StringBuilder();
        for (String part : dir.split("/")) {
            if (part.isEmpty()) {
                path.append('/');
                continue;
            }
            path.append(part);
            try {
                sftp.stat(path.toString());
            } catch (SftpException missing) {
                sftp.mkdir(path.toString());
            }
            path.append('/');
        }
    }

    /** Files of a local folder, by path relative to it, in a stable order. */
    public static Map<String, Path> filesUnder(Path dir) {
        Map<String, Path> out = new LinkedHashMap<>();
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).sorted().forEach(p -> out.put(dir.relativize(p).toString(), p));
        } catch (IOException e) {
            throw new EnvironmentException("Cannot read " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public void close() {
        session.disconnect();
    }
}
