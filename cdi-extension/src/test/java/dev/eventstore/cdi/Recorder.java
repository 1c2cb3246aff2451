package dev.eventstore.cdi;

import dev.eventstore.PersistedEvent;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the test projections and observers saw, with the transaction status at that moment. */
@ApplicationScoped
public class Recorder {

    public record Seen(String by, PersistedEvent event, int transactionStatus) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    public void saw(String by, PersistedEvent event, int transactionStatus) {
        seen.add(new Seen(by, event, transactionStatus));
    }

    public List<Seen> seenBy(String by) {
        return seen.stream().filter(s -> s.by().equals(by)).toList();
    }

    private final List<String> threads = new CopyOnWriteArrayList<>();

    public void sawOnThread(String by, String thread) {
        threads.add(by + "@" + thread);
    }

    public List<String> threads() {
        return List.copyOf(threads);
    }

    public void clear() {
        seen.clear();
        threads.clear();
    }
}
