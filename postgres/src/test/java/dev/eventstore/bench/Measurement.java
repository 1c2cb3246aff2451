package dev.eventstore.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Rounds of one measured operation: the rate per round, summarised by median, min and max. */
record Measurement(String name, String unit, List<Double> rounds) {

    Measurement {
        rounds = List.copyOf(rounds);
    }

    double median() {
        List<Double> sorted = new ArrayList<>(rounds);
        Collections.sort(sorted);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    double min() {
        return Collections.min(rounds);
    }

    double max() {
        return Collections.max(rounds);
    }
}
