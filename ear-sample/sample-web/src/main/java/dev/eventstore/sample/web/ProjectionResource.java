package dev.eventstore.sample.web;

import dev.eventstore.async.AsyncProjections;
import dev.eventstore.projection.ProjectionStatus;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Operations on the asynchronous projections: their status, and a rebuild. A real application would restrict these
 * to operators (for example {@code @RolesAllowed}); the sample leaves them open.
 *
 * <p>Not a container-managed transaction on purpose: the rebuild demarcates its own JTA transaction.
 */
@RequestScoped
@Path("/projections")
@Produces(MediaType.APPLICATION_JSON)
public class ProjectionResource {

    @Inject
    AsyncProjections projections;

    @GET
    @Path("/{name}")
    public ProjectionView status(@PathParam("name") String name) {
        return ProjectionView.of(known(name));
    }

    /**
     * Clears the read model through the projection's {@code @ProjectionReset} method and its checkpoint, then lets the
     * runtime replay every event: 202 with the status right after the reset; 409 when the projection declares no reset.
     */
    @POST
    @Path("/{name}/rebuild")
    public Response rebuild(@PathParam("name") String name) {
        known(name);
        try {
            projections.rebuild(name);
        } catch (IllegalStateException refused) {
            return Response.status(Response.Status.CONFLICT).type(MediaType.APPLICATION_JSON)
                    .entity(ErrorBody.of(409, "rebuild-refused", refused.getMessage())).build();
        }
        return Response.accepted(ProjectionView.of(projections.status(name))).build();
    }

    private ProjectionStatus known(String name) {
        try {
            return projections.status(name);
        } catch (IllegalArgumentException unknown) {
            throw new NotFoundException(unknown.getMessage());
        }
    }

    /** What an operator needs to follow a projection; the full {@link ProjectionStatus} has more. */
    public record ProjectionView(String name, String state, long lastPosition, long lagEvents, boolean caughtUp,
                                 int failureCount, String lastError) {

        static ProjectionView of(ProjectionStatus status) {
            return new ProjectionView(status.name(), status.state().name(), status.lastPosition(),
                    status.lagEvents(), status.caughtUp(), status.failureCount(), status.lastError().orElse(null));
        }
    }
}
