package dev.eventstore.console;

import dev.eventstore.console.ProjectionViews.ProjectionView;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import java.util.List;
import java.util.Optional;

/**
 * The asynchronous projections: status for viewers and operators; actions for operators only. {@code web.xml}
 * already refuses a POST to anyone but an operator; the check here keeps that true if the constraints are changed.
 */
@RequestScoped
@Path("projections")
@Produces(MediaType.APPLICATION_JSON)
public class ProjectionResource {

    @Inject
    ProjectionActions actions;

    @Context
    SecurityContext security;

    @GET
    public List<ProjectionView> all() {
        return actions.all();
    }

    @GET
    @Path("{name}")
    public ProjectionView one(@PathParam("name") String name) {
        return actions.one(name);
    }

    /** {@code POST /api/projections/{name}/pause|resume|unpark|rebuild[?segment=n]}: the status afterwards. */
    @POST
    @Path("{name}/{action}")
    public ProjectionView act(@PathParam("name") String name, @PathParam("action") String action,
                              @QueryParam("segment") String segment) {
        if (!security.isUserInRole(Roles.OPERATOR)) {
            throw new RefusedRequest(403, "forbidden", "Only the role " + Roles.OPERATOR + " may act on projections");
        }
        return actions.act(name, ProjectionAction.parse(action), segment(segment),
                security.getUserPrincipal().getName());
    }

    private static Optional<Integer> segment(String segment) {
        if (segment == null || segment.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(segment.strip()));
        } catch (NumberFormatException e) {
            throw RefusedRequest.badFilter("segment must be a whole number, was '" + segment + "'");
        }
    }
}
