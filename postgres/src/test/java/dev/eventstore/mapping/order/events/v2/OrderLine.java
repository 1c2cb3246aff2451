// doc: family begins
package dev.eventstore.mapping.order.events.v2;

/** A nested record inside an event: not an event itself. */
public record OrderLine(String product, int quantity, long amountCents) {
}
// doc: family ends
