package org.gallerybench.engine.load;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Weights of the request kinds, e.g. {@code page=80,image=15,upload=5}. The generator cycles through a fixed,
 * shuffled sequence of 100 slots (same seed every run), so two runs send the same mix in the same order.
 */
public record RequestMix(Map<RequestKind, Integer> weights) {

    public RequestMix {
        EnumMap<RequestKind, Integer> copy = new EnumMap<>(RequestKind.class);
        weights.forEach((k, w) -> {
            if (w < 0) {
                throw new IllegalArgumentException("a weight cannot be negative: " + k.key() + "=" + w);
            }
            if (w > 0) {
                copy.put(k, w);
            }
        });
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("the request mix needs at least one positive weight, e.g. page=100");
        }
        weights = Collections.unmodifiableMap(copy);
    }

    /** Only the gallery page: what the old study's ab run measured. */
    public static RequestMix pageOnly() {
        return new RequestMix(Map.of(RequestKind.PAGE, 100));
    }

    /** A browsing user: mostly pages and images, a few uploads. */
    public static RequestMix browsing() {
        return new RequestMix(Map.of(RequestKind.PAGE, 70, RequestKind.IMAGE, 25, RequestKind.UPLOAD, 5));
    }

    /** Parses {@code kind=weight,...}; kinds are page, image and upload. */
    public static RequestMix parse(String text) {
        Map<RequestKind, Integer> weights = new EnumMap<>(RequestKind.class);
        for (String part : text.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] kv = part.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("bad request mix '" + text + "': write it as page=80,image=15,upload=5");
            }
            try {
                weights.merge(RequestKind.byKey(kv[0]), Integer.parseInt(kv[1].strip()), Integer::sum);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad weight '" + kv[1] + "' in request mix '" + text + "'");
            }
        }
        return new RequestMix(weights);
    }

    public boolean includes(RequestKind kind) {
        return weights.containsKey(kind);
    }

    /** 100 slots with the kinds in proportion to their weights, shuffled with a fixed seed. */
    public List<RequestKind> sequence() {
        int total = weights.values().stream().mapToInt(Integer::intValue).sum();
        List<RequestKind> slots = new ArrayList<>();
        weights.forEach((k, w) -> {
            long n = Math.max(1, Math.round(100.0 * w / total));
            for (int i = 0; i < n; i++) {
                slots.add(k);
            }
        });
        Collections.shuffle(slots, new Random(42));
        return List.copyOf(slots);
    }

    @Override
    public String toString() {
        return weights.entrySet().stream().map(e -> e.getKey().key() + "=" + e.getValue()).collect(Collectors.joining(","));
    }
}
