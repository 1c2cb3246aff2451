package dev.eventstore.sample.web;

import dev.eventstore.PersistedEvent;
import dev.eventstore.sample.order.InvalidCommandException;
import dev.eventstore.sample.order.OrderService;
import dev.eventstore.sample.order.OrderSnapshot;
import dev.eventstore.sample.readmodel.OrderOverview;
import dev.eventstore.sample.readmodel.OrderQueries;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Commands go through {@link OrderService} (event store); lists and searches read the JPA read model. Every command
 * answer carries the order's version as ETag; send it back as {@code If-Match} to make the command conditional.
 */
@RequestScoped
@Path("/orders")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class OrderResource {

    @EJB
    OrderService orders;

    @EJB
    OrderQueries queries;

    @Context
    UriInfo uriInfo;

    @POST
    public Response place(Requests.PlaceOrder request) {
        requireBody(request);
        OrderSnapshot placed = orders.place(request.customer(), request.currency());
        return Response.created(uriInfo.getAbsolutePathBuilder().path(placed.orderId()).build())
                .tag(etag(placed)).entity(placed).build();
    }

    @POST
    @Path("/{id}/lines")
    public Response addLine(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch,
                            Requests.AddLine request) {
        requireBody(request);
        OrderSnapshot updated = orders.addLine(id, version(ifMatch), request.sku(), request.quantity(),
                request.unitPriceCents());
        return Response.ok(updated).tag(etag(updated)).build();
    }

    @POST
    @Path("/{id}/confirm")
    public Response confirm(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch) {
        OrderSnapshot confirmed = orders.confirm(id, version(ifMatch));
        return Response.ok(confirmed).tag(etag(confirmed)).build();
    }

    /** The order from the read model (eventually the same as the stream; here updated in the same transaction). */
    @GET
    @Path("/{id}")
    public OrderOverview get(@PathParam("id") String id) {
        return queries.find(id).orElseThrow(() -> new NotFoundException("No order " + id));
    }

    /** The order's events as stored, for inspection. */
    @GET
    @Path("/{id}/events")
    public List<Map<String, Object>> events(@PathParam("id") String id) {
        return orders.history(id).stream().map(OrderResource::describe).toList();
    }

    @GET
    public List<OrderOverview> search(@QueryParam("customer") String customer, @QueryParam("status") String status,
                                      @QueryParam("limit") Integer limit) {
        int max = limit == null ? 50 : limit;
        if (max < 1 || max > 500) {
            throw new InvalidCommandException("limit must be between 1 and 500, was " + max);
        }
        return queries.search(blankToNull(customer), blankToNull(status), max);
    }

    private static Map<String, Object> describe(PersistedEvent event) {
        return Map.of(
                "version", event.aggregateVersion(),
                "globalPosition", event.globalPosition(),
                "type", event.eventType(),
                "eventId", event.eventId().toString(),
                "createdAt", event.createdAt().toString(),
                "payload", event.payloadAsString());
    }

    private static void requireBody(Object body) {
        if (body == null) {
            throw new InvalidCommandException("a JSON request body is required");
        }
    }

    private static OptionalLong version(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return OptionalLong.empty();
        }
        String value = ifMatch.strip().replace("\"", "");
        try {
            return OptionalLong.of(Long.parseLong(value));
        } catch (NumberFormatException e) {
            throw new InvalidCommandException("If-Match must be a version number such as \"3\", was " + ifMatch);
        }
    }

    private static EntityTag etag(OrderSnapshot snapshot) {
        return new EntityTag(Long.toString(snapshot.version()));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
