package dev.eventstore.console;

import dev.eventstore.console.EventViews.EventDetail;
import dev.eventstore.console.EventViews.EventPage;
import dev.eventstore.console.EventViews.StreamView;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

/** The event log: searches, one aggregate's stream, one event. Read-only; viewers and operators. */
@RequestScoped
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class EventResource {

    @Inject
    ConsoleReads reads;

    @Inject
    ConsoleSettings settings;

    @Context
    SecurityContext security;

    @GET
    @Path("events")
    public EventPage search(@QueryParam("aggregateType") String aggregateType,
                            @QueryParam("aggregateId") String aggregateId, @QueryParam("eventType") String eventType,
                            @QueryParam("topic") String topic, @QueryParam("metadata") String metadata,
                            @QueryParam("createdFrom") String createdFrom,
                            @QueryParam("createdBefore") String createdBefore,
                            @QueryParam("positionFrom") String positionFrom,
                            @QueryParam("positionTo") String positionTo, @QueryParam("eventId") String eventId,
                            @QueryParam("correlationId") String correlationId,
                            @QueryParam("causationId") String causationId, @QueryParam("after") String after,
                            @QueryParam("limit") String limit, @QueryParam("order") String order) {
        if (metadata != null && !metadata.isBlank() && hidePayloads()) {
            throw new RefusedRequest(403, "forbidden", "Viewers may not filter by metadata here:"
                    + " this console hides metadata from viewers (" + ConsoleSettings.HIDE_PAYLOADS + ")");
        }
        return reads.search(EventSearch.parse(new SearchParameters(aggregateType, aggregateId, eventType, topic,
                metadata, createdFrom, createdBefore, positionFrom, positionTo, eventId, correlationId, causationId,
                after, limit, order)));
    }

    @GET
    @Path("events/{position}")
    public EventDetail event(@PathParam("position") String position) {
        long at;
        try {
            at = Long.parseLong(position);
        } catch (NumberFormatException e) {
            throw RefusedRequest.badFilter("position must be a whole number, was '" + position + "'");
        }
        return reads.event(at, hidePayloads())
                .orElseThrow(() -> RefusedRequest.notFound("No event at position " + at));
    }

    @GET
    @Path("streams/{aggregateType}/{aggregateId}")
    public StreamView stream(@PathParam("aggregateType") String aggregateType,
                             @PathParam("aggregateId") String aggregateId) {
        return reads.stream(aggregateType, aggregateId);
    }

    @GET
    @Path("overview")
    public ConsoleReads.Overview overview() {
        return reads.overview();
    }

    /** Who is signed in and what the page may show them. */
    @GET
    @Path("me")
    public Me me() {
        return new Me(security.getUserPrincipal() == null ? null : security.getUserPrincipal().getName(),
                security.isUserInRole(Roles.OPERATOR), hidePayloads());
    }

    /**
     * @param user           the signed-in user
     * @param operator       whether they may act on projections
     * @param payloadsHidden whether payloads and metadata are hidden from them
     */
    public record Me(String user, boolean operator, boolean payloadsHidden) {
    }

    private boolean hidePayloads() {
        return settings.hidePayloadsFromViewers() && !security.isUserInRole(Roles.OPERATOR);
    }
}
