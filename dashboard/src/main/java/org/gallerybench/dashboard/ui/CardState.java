package org.gallerybench.dashboard.ui;

/**
 * What a card says, as one value: its light, its status word and its message change together, so they can never
 * contradict each other (a card once read "warmup…" above "Not deployed yet").
 *
 * @param light   the status light
 * @param status  one word or two: "ready", "deploying…", "warm-up…", "failed"
 * @param message a sentence: what it is doing, or what went wrong and what to do; may be empty
 */
public record CardState(EnvironmentCardViewModel.Light light, String status, String message) {
    public CardState {
        message = message == null ? "" : message;
    }

    public static CardState checking() {
        return new CardState(EnvironmentCardViewModel.Light.UNKNOWN, "checking…", "");
    }
}
