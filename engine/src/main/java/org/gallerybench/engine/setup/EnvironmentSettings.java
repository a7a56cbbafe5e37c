package org.gallerybench.engine.setup;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.LinkedHashMap;

/**
 * Every environment's settings, as the dashboard's cards edit them and settings.json keeps them: one record per
 * {@link EnvironmentKind} (its {@link EnvironmentKind#settingsType()}), nothing flat, nothing chosen by an id. In
 * settings.json each kind's record is an object under its id; settings saved in the earlier flat form (localPort,
 * dockerPort, ...) are read into the records, so nothing a user saved is lost.
 */
public final class EnvironmentSettings {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<EnvironmentKind, Connection> byKind;

    private EnvironmentSettings(Map<EnvironmentKind, Connection> byKind) {
        EnumMap<EnvironmentKind, Connection> all = new EnumMap<>(EnvironmentKind.class);
        for (EnvironmentKind kind : EnvironmentKind.values()) {
            Connection c = byKind.get(kind);
            all.put(kind, c != null ? c : kind.defaults());
        }
        this.byKind = Collections.unmodifiableMap(all);
    }

    /** Each kind's defaults. */
    public static EnvironmentSettings defaults() {
        return new EnvironmentSettings(Map.of());
    }

    /** The settings of one kind, as its record. */
    public <C extends Connection> C get(Class<C> type) {
        return type.cast(byKind.get(EnvironmentKind.ofSettings(type)));
    }

    /** The settings of one kind. */
    public Connection connection(EnvironmentKind kind) {
        return byKind.get(kind);
    }

    public Connection.Local local() {
        return get(Connection.Local.class);
    }

    public Connection.Docker docker() {
        return get(Connection.Docker.class);
    }

    public Connection.Gvisor gvisor() {
        return get(Connection.Gvisor.class);
    }

    public Connection.Vm vm() {
        return get(Connection.Vm.class);
    }

    /** These settings with one kind's record replaced; the others' stay as they are. */
    public EnvironmentSettings with(Connection c) {
        EnumMap<EnvironmentKind, Connection> next = new EnumMap<>(byKind);
        next.put(c.kind(), c);
        return new EnvironmentSettings(next);
    }

    public EnvironmentSettings withLocalPort(int port) {
        return with(new Connection.Local(port));
    }

    public EnvironmentSettings withDockerPort(int port) {
        Connection.Docker d = docker();
        return with(new Connection.Docker(d.engine(), port, d.matchLimits(), d.endpointHost(), d.network()));
    }

    public EnvironmentSettings withDockerHost(String engine) {
        Connection.Docker d = docker();
        return with(new Connection.Docker(engine, d.port(), d.matchLimits(), d.endpointHost(), d.network()));
    }

    public EnvironmentSettings withVm(String dir, String host, int sshPort, String user, String key, int forwardedPort) {
        Connection.Vm v = vm();
        return with(new Connection.Vm(dir, host, sshPort, user, key, forwardedPort, v.endpointHost(), v.cpus(), v.memoryMib()));
    }

    /** These settings with a docker or gvisor environment's network path ("published" or "host"). */
    public EnvironmentSettings withNetwork(String environment, String path) {
        EnvironmentKind kind = EnvironmentKind.of(environment).filter(k -> k.has(EnvironmentKind.Capability.NETWORK_PATH))
                .orElseThrow(() -> new IllegalArgumentException("only docker and gvisor have a network path to choose, not '" + environment + "'"));
        return with(switch (connection(kind)) {
            case Connection.Docker d -> new Connection.Docker(d.engine(), d.port(), d.matchLimits(), d.endpointHost(), path);
            case Connection.Gvisor g -> new Connection.Gvisor(g.port(), path);
            default -> throw new IllegalStateException(kind + " has a network path but no field for it");
        });
    }

    /** These settings with where the container's and the VM's ports are reached (empty: automatic). */
    public EnvironmentSettings withEndpointHosts(String docker, String vm) {
        Connection.Docker d = docker();
        Connection.Vm v = vm();
        return with(new Connection.Docker(d.engine(), d.port(), d.matchLimits(), docker, d.network()))
                .with(new Connection.Vm(v.vagrantDir(), v.sshHost(), v.sshPort(), v.sshUser(), v.sshKey(), v.port(), vm, v.cpus(), v.memoryMib()));
    }

    /** The VM's size, in words, for the containers' "match limits" toggle. */
    public String vmLimits() {
        return vm().cpus() + " CPUs and " + vm().memoryMib() + " MiB";
    }

    /** settings.json's form: each kind's record under its id. */
    @JsonValue
    Map<String, Connection> json() {
        Map<String, Connection> out = new LinkedHashMap<>();
        byKind.forEach((kind, c) -> out.put(kind.id(), c));
        return out;
    }

    /** Reads settings.json's form, or the earlier flat one. */
    @JsonCreator
    static EnvironmentSettings fromJson(JsonNode json) {
        if (json == null || !json.isObject()) {
            return defaults();
        }
        if (json.has("localPort") || json.has("dockerPort") || json.has("vmPort")) {
            return fromFlat((ObjectNode) json);
        }
        EnumMap<EnvironmentKind, Connection> read = new EnumMap<>(EnvironmentKind.class);
        for (EnvironmentKind kind : EnvironmentKind.values()) {
            JsonNode part = json.get(kind.id());
            if (part != null && part.isObject()) {
                read.put(kind, JSON.convertValue(part, kind.settingsType()));
            }
        }
        return new EnvironmentSettings(read);
    }

    /** The form saved before the records (one object of 17 fields). */
    private static EnvironmentSettings fromFlat(ObjectNode f) {
        Connection.Local l = Connection.Local.defaults();
        Connection.Docker d = Connection.Docker.defaults();
        Connection.Gvisor g = Connection.Gvisor.defaults();
        Connection.Vm v = Connection.Vm.defaults();
        return defaults()
                .with(new Connection.Local(f.path("localPort").asInt(l.port())))
                .with(new Connection.Docker(f.path("dockerHost").asText(d.engine()), f.path("dockerPort").asInt(d.port()),
                        f.path("matchLimits").asBoolean(d.matchLimits()), f.path("dockerEndpointHost").asText(""),
                        f.path("dockerNetwork").asText(d.network())))
                .with(new Connection.Gvisor(f.path("gvisorPort").asInt(g.port()), f.path("gvisorNetwork").asText(g.network())))
                .with(new Connection.Vm(f.path("vagrantDir").asText(""), f.path("sshHost").asText(""), f.path("sshPort").asInt(v.sshPort()),
                        f.path("sshUser").asText(""), f.path("sshKey").asText(""), f.path("vmPort").asInt(v.port()),
                        f.path("vmEndpointHost").asText(""), f.path("vmCpus").asInt(v.cpus()), f.path("vmMemoryMib").asInt(v.memoryMib())));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnvironmentSettings other && byKind.equals(other.byKind);
    }

    @Override
    public int hashCode() {
        return byKind.hashCode();
    }

    @Override
    public String toString() {
        return json().toString();
    }
}
