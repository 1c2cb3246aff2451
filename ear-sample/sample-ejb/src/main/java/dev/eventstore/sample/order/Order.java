package dev.eventstore.sample.order;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The order aggregate: state rebuilt from its events, and decisions that return new events without changing state.
 * The store, transactions and JSON stay outside.
 */
public final class Order {

    /** Lifecycle of an order. */
    public enum Status { OPEN, CONFIRMED }

    static final int MAX_LINES = 100;
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    private final String id;
    private String customer;
    private String currency;
    private Status status;
    private int lineCount;
    private long totalCents;

    private Order(String id) {
        this.id = id;
    }

    /** The order as its events describe it; an empty list gives an order that does not exist yet. */
    public static Order replay(String id, List<?> events) {
        Order order = new Order(id);
        events.forEach(order::apply);
        return order;
    }

    public static List<Object> place(String id, String customer, String currency) {
        if (customer == null || customer.isBlank()) {
            throw new InvalidCommandException("customer must not be blank");
        }
        if (currency == null || !CURRENCY.matcher(currency).matches()) {
            throw new InvalidCommandException("currency must be a three-letter ISO code such as EUR, was " + currency);
        }
        return List.of(new OrderPlaced(id, customer.strip(), currency));
    }

    public List<Object> addLine(String sku, int quantity, long unitPriceCents) {
        requireOpen("add a line");
        if (sku == null || sku.isBlank()) {
            throw new InvalidCommandException("sku must not be blank");
        }
        if (quantity < 1 || quantity > 10_000) {
            throw new InvalidCommandException("quantity must be between 1 and 10000, was " + quantity);
        }
        if (unitPriceCents < 0) {
            throw new InvalidCommandException("unitPriceCents must be >= 0, was " + unitPriceCents);
        }
        if (lineCount >= MAX_LINES) {
            throw new InvalidCommandException("an order has at most " + MAX_LINES + " lines");
        }
        return List.of(new OrderLineAdded(id, sku.strip(), quantity, unitPriceCents));
    }

    public List<Object> confirm(Instant now) {
        requireOpen("confirm it");
        if (lineCount == 0) {
            throw new InvalidCommandException("an order without lines cannot be confirmed; add a line first");
        }
        return List.of(new OrderConfirmed(id, now));
    }

    private void requireOpen(String action) {
        if (status == Status.CONFIRMED) {
            throw new InvalidCommandException("order " + id + " is confirmed; cannot " + action);
        }
    }

    private void apply(Object event) {
        if (event instanceof OrderPlaced placed) {
            customer = placed.customer();
            currency = placed.currency();
            status = Status.OPEN;
        } else if (event instanceof OrderLineAdded line) {
            lineCount++;
            totalCents = Math.addExact(totalCents, line.lineTotalCents());
        } else if (event instanceof OrderConfirmed) {
            status = Status.CONFIRMED;
        } else {
            throw new IllegalArgumentException("Order cannot apply " + event.getClass().getName());
        }
    }

    /** Whether any event exists for this order. */
    public boolean exists() {
        return status != null;
    }

    public String id() {
        return id;
    }

    public String customer() {
        return customer;
    }

    public String currency() {
        return currency;
    }

    public Status status() {
        return status;
    }

    public int lineCount() {
        return lineCount;
    }

    public long totalCents() {
        return totalCents;
    }
}
