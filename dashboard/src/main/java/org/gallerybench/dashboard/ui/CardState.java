package org.gallerybench.dashboard.ui;

import java.util.EnumSet;
import java.util.Set;

import org.gallerybench.environments.EnvironmentStatus.Action;

/**
 * What a card says, as one value: its light, its status word, its message and the actions that make sense now change
 * together, so they can never contradict each other (a card once read "warmup…" above "Not deployed yet", and offered
 * Deploy for an image that was there).
 *
 * @param light   the status light
 * @param status  one word or a few: "ready", "ready to start", "deploying…", "stopped (exit 137: killed)", "failed"
 * @param message a sentence: what it is doing, or what went wrong and what to do; may be empty
 * @param actions the card's buttons that are enabled in this state (while nothing else holds them back)
 */
public record CardState(EnvironmentCardViewModel.Light light, String status, String message, Set<Action> actions) {
    public CardState {
        message = message == null ? "" : message;
        actions = actions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(actions));
    }

    /** A state that does not come from the environment's status (busy, a failure of its own): every action is left open. */
    public CardState(EnvironmentCardViewModel.Light light, String status, String message) {
        this(light, status, message, EnumSet.allOf(Action.class));
    }

    public static CardState checking() {
        return new CardState(EnvironmentCardViewModel.Light.UNKNOWN, "checking…", "");
    }

    /** Whether the card offers {@code action} now. */
    public boolean offers(Action action) {
        return actions.contains(action);
    }
}
