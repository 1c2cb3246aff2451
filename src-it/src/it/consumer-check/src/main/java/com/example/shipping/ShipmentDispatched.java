package com.example.shipping;

import dev.eventstore.mapping.EventType;

import java.time.Instant;
import java.util.List;

@EventType(name = "ShipmentDispatched", version = 1)
public record ShipmentDispatched(String carrier, List<String> parcelIds, Instant dispatchedAt) {
}
