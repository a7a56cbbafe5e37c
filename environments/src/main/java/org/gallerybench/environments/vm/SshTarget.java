package org.gallerybench.environments.vm;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.gallerybench.environments.EnvironmentException;
import java.util.Locale;

/**
 * Where and as whom to SSH: from {@code vagrant ssh-config}, or given explicitly, so any SSH-reachable VM works.
 *
 * @param host         host name or address
 * @param port         SSH port
 * @param user         login user (needs passwordless sudo for deploy and restart)
 * @param identityFile the private key
 */
public record SshTarget(String host, int port, String user, Path identityFile) {

    /** The name known_hosts uses: {@code host} for port 22, {@code [host]:port} otherwise. */
    public String knownHostsName() {
        return port == 22 ? host : "[" + host + "]:" + port;
    }

    @Override
    public String toString() {
        return user + "@" + host + ":" + port;
    }

    /** Parses the output of {@code vagrant ssh-config}: HostName, Port, User and IdentityFile of the first host. */
    public static SshTarget parseSshConfig(String text) {
        Map<String, String> values = new HashMap<>();
        boolean inHost = false;
        for (String raw : text.split("\\R")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] kv = line.split("\\s+", 2);
            String key = kv[0].toLowerCase(Locale.ROOT);
            String value = kv.length > 1 ? unquote(kv[1].strip()) : "";
            if (key.equals("host")) {
                if (inHost) {
                    break; // only the first machine
                }
                inHost = true;
                continue;
            }
            values.putIfAbsent(key, value);
        }
        String host = values.get("hostname");
        String user = values.get("user");
        String identity = values.get("identityfile");
        if (host == null || user == null || identity == null) {
            throw new EnvironmentException("Cannot read `vagrant ssh-config`: HostName, User or IdentityFile is missing. Is the VM running?");
        }
        int port = Integer.parseInt(values.getOrDefault("port", "22"));
        return new SshTarget(host, port, user, Path.of(identity));
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
