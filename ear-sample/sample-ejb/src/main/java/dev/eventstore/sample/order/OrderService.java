package dev.eventstore.sample.order;

import dev.eventstore.AggregateStream;
import dev.eventstore.AppendResult;
import dev.eventstore.EventStore;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.PersistedEvent;
import dev.eventstore.mapping.MappingOption;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;

import java.time.Clock;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Handles order commands: load the aggregate from its stream, decide, append with the version the decision was based
 * on. Each public method runs in a container-managed JTA transaction that the store joins; inline projections update
 * the read model in that same transaction.
 */
@Stateless
public class OrderService {

    /** Generated from {@link OrderEvents}; thread-safe, so one is shared. */
    static final OrderEventMapper EVENTS = new OrderEventMapper();

    @Inject
    EventStore store;

    private final Clock clock = Clock.systemUTC();

    public OrderSnapshot place(String customer, String currency) {
        String orderId = UUID.randomUUID().toString();
        List<Object> placed = Order.place(orderId, customer, currency);
        AppendResult result = store.append(ExpectedVersion.noStream(),
                EVENTS.toEvents(orderId, placed, MappingOption.correlationId(orderId)));
        return OrderSnapshot.of(Order.replay(orderId, placed), result.toVersion());
    }

    /**
     * @param ifMatch the version the client last saw; when present the append requires exactly that version, so a
     *                client acting on stale data gets a conflict
     */
    public OrderSnapshot addLine(String orderId, OptionalLong ifMatch, String sku, int quantity, long unitPriceCents) {
        Loaded loaded = load(orderId);
        return append(loaded, ifMatch, loaded.order().addLine(sku, quantity, unitPriceCents));
    }

    public OrderSnapshot confirm(String orderId, OptionalLong ifMatch) {
        Loaded loaded = load(orderId);
        return append(loaded, ifMatch, loaded.order().confirm(clock.instant()));
    }

    /** The authoritative state, replayed from the event stream. */
    public OrderSnapshot get(String orderId) {
        Loaded loaded = load(orderId);
        return OrderSnapshot.of(loaded.order(), loaded.version());
    }

    /** The order's raw events, oldest first. */
    public List<PersistedEvent> history(String orderId) {
        AggregateStream stream = store.readAggregateStream(OrderEventMapper.AGGREGATE_TYPE, orderId);
        if (stream.isEmpty()) {
            throw new OrderNotFoundException(orderId);
        }
        return stream.events();
    }

    private OrderSnapshot append(Loaded loaded, OptionalLong ifMatch, List<Object> decided) {
        ExpectedVersion expected = ExpectedVersion.exact(ifMatch.orElse(loaded.version()));
        AppendResult result = store.append(expected,
                EVENTS.toEvents(loaded.order().id(), decided,
                        MappingOption.correlationId(loaded.order().id())));
        List<Object> all = new java.util.ArrayList<>(loaded.events());
        all.addAll(decided);
        return OrderSnapshot.of(Order.replay(loaded.order().id(), all), result.toVersion());
    }

    private Loaded load(String orderId) {
        AggregateStream stream = store.readAggregateStream(OrderEventMapper.AGGREGATE_TYPE, orderId);
        if (stream.isEmpty()) {
            throw new OrderNotFoundException(orderId);
        }
        List<Object> events = EVENTS.fromEvents(stream);
        return new Loaded(Order.replay(orderId, events), events, stream.version());
    }

    private record Loaded(Order order, List<Object> events, long version) {
    }
}
