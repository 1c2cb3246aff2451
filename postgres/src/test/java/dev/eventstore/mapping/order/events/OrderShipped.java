// doc: family begins
package dev.eventstore.mapping.order.events;

import java.time.Instant;
import java.util.List;

/** No version segment in the package: version 1. */
public record OrderShipped(String carrier, List<String> parcelIds, Instant shippedAt, Address address) {

    /** A nested record declared inside the event. */
    public record Address(String street, String city, String country) {
    }
}
// doc: family ends
