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

import org.gallerybench.environments.EnvironmentStatus.Action;
import java.net.URI;
import java.util.Locale;
import javafx.beans.value.ObservableBooleanValue;

/** One environment's card: it binds to an {@link EnvironmentCardViewModel} and lays out; nothing else. */
public final class CardView extends VBox {
    private final EnvironmentCardViewModel vm;

    /** {@code running}: while a comparison runs, the card's own actions wait. */
    public CardView(EnvironmentCardViewModel vm, ObservableBooleanValue running, Consumer<URI> browser) {
        this.vm = vm;
        String id = vm.id();
        setId("card-" + id);
        getStyleClass().addAll("env-card", "env-" + id); // the environment's colour, as in the charts and reports
        setSpacing(8);
        setPadding(new Insets(14));

        Circle light = new Circle(6);
        light.setId("light-" + id);
        light.getStyleClass().add("light");
        vm.lightProperty().addListener((o, a, b) -> setLight(light, b));
        setLight(light, vm.lightProperty().get());
        Label name = new Label();
        name.textProperty().bind(vm.displayNameProperty());
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

        // Only what makes sense in the card's state is enabled: no Deploy of a build that is there, no Stop of what does not run.
        FlowPane actions = new FlowPane(6, 6);
        actions.getChildren().addAll(button("Deploy", "deploy-" + id, Action.DEPLOY, vm::deploy, running),
                button("Start", "start-" + id, Action.START, vm::start, running),
                button("Stop", "stop-" + id, Action.STOP, vm::stop, running), button("Restart", "restart-" + id, Action.RESTART, vm::restart, running));
        if (vm.isVm()) {
            actions.getChildren().addAll(button("Boot VM", "boot-" + id, Action.BOOT, vm::bootVm, running),
                    button("Halt VM", "halt-" + id, Action.HALT, vm::haltVm, running));
        }

        TitledPane settings = new TitledPane("Connection", settingsForm());
        settings.setExpanded(false);
        settings.setId("settings-" + id);
        settings.getStyleClass().add("card-settings");

        getChildren().addAll(header, caveat, status, message, endpoint, readout, actions, settings);
    }

    private Button button(String text, String id, Action what, Runnable action, ObservableBooleanValue running) {
        Button b = new Button(text);
        b.setId(id);
        b.getStyleClass().add("small");
        b.setOnAction(e -> action.run());
        b.disableProperty().bind(vm.busyProperty().or(running)
                .or(Bindings.createBooleanBinding(() -> !vm.stateProperty().get().offers(what), vm.stateProperty())));
        return b;
    }

    /** The card's connection form, laid out from its fields; Apply asks the card to validate and apply it. */
    private GridPane settingsForm() {
        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(6);
        String id = vm.id();
        int row = 0;
        for (ConnectionForm.Field f : vm.form().fields()) {
            TextField field = new TextField();
            field.setId(id + "-" + f.key());
            field.setPrefColumnCount(16);
            field.setPromptText(f.prompt());
            field.textProperty().bindBidirectional(f.text());
            form.addRow(row++, new Label(f.label()), field);
        }
        for (ConnectionForm.Toggle t : vm.form().toggles()) {
            CheckBox box = new CheckBox(t.label());
            box.setId(id + "-" + t.key());
            box.selectedProperty().bindBidirectional(t.value());
            form.add(box, 0, row++, 2, 1);
        }
        Button apply = new Button("Apply");
        apply.setId("apply-" + id);
        apply.setOnAction(e -> vm.applySettings());
        form.add(apply, 1, row);
        return form;
    }

    private static void setLight(Circle light, EnvironmentCardViewModel.Light state) {
        light.getStyleClass().removeIf(s -> s.startsWith("light-"));
        light.getStyleClass().add("light-" + state.name().toLowerCase(Locale.ROOT));
    }

    public EnvironmentCardViewModel viewModel() {
        return vm;
    }
}
