package dev.eventstore.jpa.order;

import dev.eventstore.PersistedEvent;
import dev.eventstore.cdi.EventStoreDataSource;
import dev.eventstore.jpa.VersionGuardedWriter;
import dev.eventstore.projection.EventHandler;
import dev.eventstore.projection.Projection;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.sql.DataSource;
import java.util.Map;

/**
 * The order overview of {@link OrderOverviewProjection} kept with version-guarded SQL instead of JPA, in
 * {@code order_overview_sql} (the same columns): one statement per event, no SELECT, no Hibernate session.
 */
@ApplicationScoped
@Projection(name = "order-overview-sql", aggregateTypes = OrderEvents.AGGREGATE_TYPE)
public class OrderOverviewSqlProjection {

    /** The table, as {@code OrderOverview} maps {@code order_overview_v1}. */
    public static final String DDL = "CREATE TABLE IF NOT EXISTS order_overview_sql (order_id TEXT PRIMARY KEY,"
            + " customer TEXT NOT NULL, status TEXT NOT NULL, currency VARCHAR(3) NOT NULL,"
            + " total_cents BIGINT NOT NULL DEFAULT 0, line_count INT NOT NULL DEFAULT 0,"
            + " last_applied_version BIGINT NOT NULL)";

    @Inject
    @EventStoreDataSource
    DataSource dataSource;

    private VersionGuardedWriter writer;

    @PostConstruct
    void init() {
        writer = new VersionGuardedWriter(dataSource, "order_overview_sql", "order_id");
    }

    // doc: version-guarded begins
    @EventHandler
    public void on(PersistedEvent event) {
        String orderId = event.aggregateId();
        Object decoded = OrderEvents.decode(event);
        if (decoded instanceof OrderEvents.OrderPlaced placed) {                 // the stream's first event
            writer.insert(event, orderId,
                    Map.of("customer", placed.customer(), "currency", placed.currency(), "status", "OPEN"));
        } else if (decoded instanceof OrderEvents.OrderLineAdded line) {          // each later one
            writer.update(event, orderId, "total_cents = total_cents + ?, line_count = line_count + 1",
                    line.quantity() * line.unitPriceCents());
        } else if (decoded instanceof OrderEvents.OrderConfirmed) {
            writer.update(event, orderId, "status = 'CONFIRMED'");
        }
    }
    // doc: version-guarded ends
}
