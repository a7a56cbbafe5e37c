package org.gallerybench.dashboard.ui;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import org.gallerybench.engine.setup.Connection;

/**
 * A card's connection settings as editable text: one field per setting of its {@link Connection}, which the view
 * lays out and binds, and {@link #parse()} back to a record, with every problem said. The view builds nothing.
 */
public final class ConnectionForm {
    /** A text field: {@code key} makes the control's id (CARD-KEY), {@code label} and {@code prompt} what it shows. */
    public record Field(String key, String label, String prompt, StringProperty text) {
    }

    /** A check box. */
    public record Toggle(String key, String label, BooleanProperty value) {
    }

    /** A parsed form: the record, or what is wrong. */
    public record Parsed(Connection connection, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private final Connection original;
    private final Map<String, Field> fields = new LinkedHashMap<>();
    private final List<Toggle> toggles = new ArrayList<>();

    /** {@code vmLimits} describes the VM's size, for the container's "match limits" toggle. */
    public ConnectionForm(Connection c, String vmLimits) {
        this.original = c;
        switch (c) {
            case Connection.Local l -> field("local-port", "Port", "5002", Integer.toString(l.port()));
            case Connection.Docker d -> {
                field("docker-host", "Docker host", "DOCKER_HOST or unix:///var/run/docker.sock", d.engine());
                field("docker-port", "Host port", "5000", Integer.toString(d.port()));
                field("docker-endpoint-host", "Endpoint host", "automatic: the engine's host", d.endpointHost());
                toggles.add(new Toggle("match-limits", "Limit to the VM's " + vmLimits, new SimpleBooleanProperty(d.matchLimits())));
                toggles.add(new Toggle("docker-host-network", "Host network (no NAT, no docker-proxy)",
                        new SimpleBooleanProperty(d.network().equals("host"))));
            }
            case Connection.Gvisor g -> {
                field("gvisor-port", "Host port", "5003", Integer.toString(g.port()));
                toggles.add(new Toggle("gvisor-host-network", "Host network (no NAT, no docker-proxy)",
                        new SimpleBooleanProperty(g.network().equals("host"))));
            }
            case Connection.Vm v -> {
                field("vagrant-dir", "Vagrant folder", "environments/vagrant", v.vagrantDir());
                field("ssh-host", "or SSH host", "empty: use Vagrant", v.sshHost());
                field("ssh-port", "SSH port", "22", Integer.toString(v.sshPort()));
                field("ssh-user", "SSH user", "", v.sshUser());
                field("ssh-key", "SSH key", "~/.ssh/id_ed25519", v.sshKey());
                field("vm-port", "Forwarded port", "5001", Integer.toString(v.port()));
                field("vm-endpoint-host", "Endpoint host", "automatic: the SSH host", v.endpointHost());
            }
        }
    }

    private void field(String key, String label, String prompt, String value) {
        fields.put(key, new Field(key, label, prompt, new SimpleStringProperty(value)));
    }

    public List<Field> fields() {
        return List.copyOf(fields.values());
    }

    public List<Toggle> toggles() {
        return List.copyOf(toggles);
    }

    /** The record the fields describe, or what is wrong with them (a port that is not a number, a missing key, ...). */
    public Parsed parse() {
        List<String> problems = new ArrayList<>();
        Connection c = switch (original) {
            case Connection.Local l -> new Connection.Local(port("local-port", "the port", problems));
            case Connection.Docker d -> new Connection.Docker(text("docker-host"), port("docker-port", "the host port", problems),
                    toggle("match-limits"), text("docker-endpoint-host"), toggle("docker-host-network") ? "host" : "published");
            case Connection.Gvisor g -> new Connection.Gvisor(port("gvisor-port", "the host port", problems),
                    toggle("gvisor-host-network") ? "host" : "published");
            case Connection.Vm v -> new Connection.Vm(text("vagrant-dir"), text("ssh-host"), port("ssh-port", "the SSH port", problems),
                    text("ssh-user"), text("ssh-key"), port("vm-port", "the forwarded port", problems), text("vm-endpoint-host"), v.cpus(),
                    v.memoryMib());
        };
        if (problems.isEmpty()) {
            problems.addAll(c.problems());
        }
        return new Parsed(c, List.copyOf(problems));
    }

    private boolean toggle(String key) {
        return toggles.stream().filter(t -> t.key().equals(key)).findFirst().orElseThrow().value().get();
    }

    private String text(String key) {
        String t = fields.get(key).text().get();
        return t == null ? "" : t.strip();
    }

    private int port(String key, String what, List<String> problems) {
        String t = text(key);
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            problems.add(what + " is a whole number between 1 and 65535 (got '" + t + "')");
            return -1;
        }
    }
}
