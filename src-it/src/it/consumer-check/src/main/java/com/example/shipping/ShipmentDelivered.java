package com.example.shipping;

import dev.eventstore.mapping.EventType;

import java.time.Instant;

@EventType(name = "ShipmentDelivered", version = 2)
public record ShipmentDelivered(String signedBy, Instant deliveredAt) {
}
