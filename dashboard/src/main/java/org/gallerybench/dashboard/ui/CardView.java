package org.gallerybench.dashboard.ui;

import java.util.function.Consumer;

import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;

import org.gallerybench.dashboard.bench.EnvironmentSettings;

/** One environment's card: it binds to an {@link EnvironmentCardViewModel} and lays out; nothing else. */
public final class CardView extends VBox {
    private final EnvironmentCardViewModel vm;

    public CardView(EnvironmentCardViewModel vm, DashboardViewModel dashboard, Consumer<java.net.URI> browser) {
        this.vm = vm;
        String id = vm.id();
        setId("card-" + id);
        getStyleClass().add("env-card");
        setSpacing(8);
        setPadding(new Insets(14));

        Circle light = new Circle(6);
        light.setId("light-" + id);
        light.getStyleClass().add("light");
        vm.lightProperty().addListener((o, a, b) -> setLight(light, b));
        setLight(light, vm.lightProperty().get());
        Label name = new Label(vm.displayName());
        name.getStyleClass().add("card-title");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        CheckBox include = new CheckBox("in the run");
        include.setId("include-" + id);
        include.selectedProperty().bindBidirectional(vm.includedProperty());
        include.setTooltip(new Tooltip("Include " + vm.displayName() + " in the next comparison"));
        HBox header = new HBox(8, light, name, spacer, include);
        header.setAlignment(Pos.CENTER_LEFT);

        Label status = new Label();
        status.setId("status-" + id);
        status.getStyleClass().add("card-status");
        status.textProperty().bind(vm.statusTextProperty());
        Label message = new Label();
        message.setId("message-" + id);
        message.getStyleClass().add("card-message");
        message.setWrapText(true);
        message.textProperty().bind(vm.messageProperty());
        message.managedProperty().bind(vm.messageProperty().isNotEmpty());
        message.visibleProperty().bind(vm.messageProperty().isNotEmpty());

        Label caveat = new Label();
        caveat.setId("caveat-" + id);
        caveat.getStyleClass().add("card-caveat");
        caveat.setWrapText(true);
        caveat.textProperty().bind(vm.caveatProperty());
        caveat.managedProperty().bind(vm.caveatProperty().isNotEmpty());
        caveat.visibleProperty().bind(vm.caveatProperty().isNotEmpty());

        Hyperlink endpoint = new Hyperlink();
        endpoint.setId("endpoint-" + id);
        endpoint.textProperty().bind(Bindings.when(vm.endpointProperty().isEmpty()).then("endpoint unknown").otherwise(vm.endpointProperty()));
        endpoint.setOnAction(e -> browser.accept(vm.endpointUri()));
        endpoint.setTooltip(new Tooltip("Open the gallery in the browser"));

        Label readout = new Label();
        readout.setId("readout-" + id);
        readout.getStyleClass().add("card-readout");
        readout.textProperty().bind(Bindings.concat("CPU ", vm.cpuProperty(), "   ·   ", vm.memoryProperty()));

        FlowPane actions = new FlowPane(6, 6);
        actions.getChildren().addAll(button("Deploy", "deploy-" + id, vm::deploy), button("Start", "start-" + id, vm::start),
                button("Stop", "stop-" + id, vm::stop), button("Restart", "restart-" + id, vm::restart));
        if (vm.isVm()) {
            actions.getChildren().addAll(button("Boot VM", "boot-" + id, vm::bootVm), button("Halt VM", "halt-" + id, vm::haltVm));
        }
        actions.getChildren().forEach(n -> n.disableProperty().bind(vm.busyProperty().or(dashboard.runningProperty())));

        TitledPane settings = new TitledPane("Connection", settingsForm(dashboard));
        settings.setExpanded(false);
        settings.setId("settings-" + id);
        settings.getStyleClass().add("card-settings");

        getChildren().addAll(header, caveat, status, message, endpoint, readout, actions, settings);
    }

    private Button button(String text, String id, Runnable action) {
        Button b = new Button(text);
        b.setId(id);
        b.getStyleClass().add("small");
        b.setOnAction(e -> action.run());
        return b;
    }

    private GridPane settingsForm(DashboardViewModel dashboard) {
        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(6);
        EnvironmentSettings s = dashboard.environmentSettings();
        String id = vm.id();
        int row = 0;
        TextField localPort = field(id + "-local-port", Integer.toString(s.localPort()));
        TextField dockerHost = field(id + "-docker-host", s.dockerHost());
        dockerHost.setPromptText("DOCKER_HOST or unix:///var/run/docker.sock");
        TextField dockerPort = field(id + "-docker-port", Integer.toString(s.dockerPort()));
        TextField dockerEndpoint = field(id + "-docker-endpoint-host", s.dockerEndpointHost());
        dockerEndpoint.setPromptText("automatic: the engine's host");
        TextField vmEndpoint = field(id + "-vm-endpoint-host", s.vmEndpointHost());
        vmEndpoint.setPromptText("automatic: the SSH host");
        CheckBox match = new CheckBox("Limit to the VM's " + s.vmCpus() + " CPUs and " + s.vmMemoryMib() + " MiB");
        match.setSelected(s.matchLimits());
        TextField vagrantDir = field(id + "-vagrant-dir", s.vagrantDir());
        vagrantDir.setPromptText("environments/vagrant");
        TextField sshHost = field(id + "-ssh-host", s.sshHost());
        sshHost.setPromptText("empty: use Vagrant");
        TextField sshPort = field(id + "-ssh-port", Integer.toString(s.sshPort()));
        TextField sshUser = field(id + "-ssh-user", s.sshUser());
        TextField sshKey = field(id + "-ssh-key", s.sshKey());
        sshKey.setPromptText("~/.ssh/id_ed25519");
        TextField vmPort = field(id + "-vm-port", Integer.toString(s.vmPort()));
        switch (id) {
            case "local" -> form.addRow(row++, new Label("Port"), localPort);
            case "docker" -> {
                form.addRow(row++, new Label("Docker host"), dockerHost);
                form.addRow(row++, new Label("Host port"), dockerPort);
                form.addRow(row++, new Label("Endpoint host"), dockerEndpoint);
                form.add(match, 0, row++, 2, 1);
            }
            default -> {
                form.addRow(row++, new Label("Vagrant folder"), vagrantDir);
                form.addRow(row++, new Label("or SSH host"), sshHost);
                form.addRow(row++, new Label("SSH port"), sshPort);
                form.addRow(row++, new Label("SSH user"), sshUser);
                form.addRow(row++, new Label("SSH key"), sshKey);
                form.addRow(row++, new Label("Forwarded port"), vmPort);
                form.addRow(row++, new Label("Endpoint host"), vmEndpoint);
            }
        }
        Button apply = new Button("Apply");
        apply.setId("apply-" + id);
        apply.setOnAction(e -> {
            EnvironmentSettings cur = dashboard.environmentSettings();
            try {
                EnvironmentSettings edited = new EnvironmentSettings(number(localPort, cur.localPort()), dockerHost.getText().strip(),
                        number(dockerPort, cur.dockerPort()), match.isSelected(), cur.vmCpus(), cur.vmMemoryMib(), vagrantDir.getText().strip(),
                        sshHost.getText().strip(), number(sshPort, cur.sshPort()), sshUser.getText().strip(), sshKey.getText().strip(),
                        number(vmPort, cur.vmPort()), dockerEndpoint.getText().strip(), vmEndpoint.getText().strip());
                dashboard.applySettings(edited);
            } catch (NumberFormatException ex) {
                dashboard.banner(new Banner(Banner.Level.ERROR, "Settings not applied", "Ports are whole numbers: " + ex.getMessage()));
            }
        });
        form.add(apply, 1, row);
        return form;
    }

    private static TextField field(String id, String text) {
        TextField f = new TextField(text);
        f.setId(id);
        f.setPrefColumnCount(16);
        return f;
    }

    private static int number(TextField f, int fallback) {
        String t = f.getText().strip();
        if (t.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new NumberFormatException("'" + t + "'");
        }
    }

    private static void setLight(Circle light, EnvironmentCardViewModel.Light state) {
        light.getStyleClass().removeIf(s -> s.startsWith("light-"));
        light.getStyleClass().add("light-" + state.name().toLowerCase(java.util.Locale.ROOT));
    }

    public EnvironmentCardViewModel viewModel() {
        return vm;
    }
}
