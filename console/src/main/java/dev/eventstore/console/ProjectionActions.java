package dev.eventstore.console;

import dev.eventstore.async.AsyncProjections;
import dev.eventstore.console.ProjectionViews.ProjectionView;
import dev.eventstore.projection.ProjectionState;
import dev.eventstore.projection.ProjectionStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Optional;

/**
 * The projections as operators see and steer them. Not transactional: a rebuild demarcates its own transaction,
 * and pause and resume commit on their own. Every action is logged at INFO with the user, the projection and the
 * outcome, refused ones included.
 */
@ApplicationScoped
public class ProjectionActions {

    private static final System.Logger LOG = System.getLogger(ProjectionActions.class.getName());

    @Inject
    AsyncProjections projections;

    public List<ProjectionView> all() {
        return projections.statuses().stream().map(ProjectionView::of).toList();
    }

    /** @throws RefusedRequest (404) for a projection this application does not run */
    public ProjectionView one(String name) {
        return ProjectionView.of(known(name));
    }

    /**
     * Runs {@code action} on the projection, or on one segment when {@code segment} is given, for {@code user}.
     * Unpark applies only to a parked projection (or segment): otherwise 409 and nothing changes, so a resume of
     * an operator's pause is never mistaken for an unpark.
     *
     * @return the status after the action
     * @throws RefusedRequest 404 unknown projection, 400 bad segment or a rebuild of one segment, 409 unpark of
     *                        something not parked or a rebuild of a projection that declares no reset
     */
    public ProjectionView act(String name, ProjectionAction action, Optional<Integer> segment, String user) {
        String target = name + segment.map(s -> " segment " + s).orElse("");
        try {
            ProjectionStatus before = known(name);
            if (segment.isPresent() && before.segments().stream().noneMatch(s -> s.segment() == segment.get())) {
                throw RefusedRequest.badFilter("segment must be one of " + name + "'s segments, 0 to "
                        + (before.segments().size() - 1) + ", was " + segment.get());
            }
            switch (action) {
                case PAUSE -> segment.ifPresentOrElse(s -> projections.pause(name, s), () -> projections.pause(name));
                case RESUME -> resume(name, segment);
                case UNPARK -> {
                    requireParked(before, segment);
                    resume(name, segment);
                }
                case REBUILD -> {
                    if (segment.isPresent()) {
                        throw RefusedRequest.badFilter("rebuild applies to the whole projection; leave out segment");
                    }
                    try {
                        projections.rebuild(name);
                    } catch (IllegalStateException refused) {
                        throw RefusedRequest.conflict(refused.getMessage());
                    }
                }
            }
            ProjectionView after = ProjectionView.of(projections.status(name));
            LOG.log(System.Logger.Level.INFO, "Console: " + user + " did " + action.label() + " on projection "
                    + target + ", now " + after.state());
            return after;
        } catch (RefusedRequest refused) {
            LOG.log(System.Logger.Level.INFO, "Console: " + user + " was refused " + action.label() + " on projection "
                    + target + ": " + refused.getMessage());
            throw refused;
        } catch (IllegalArgumentException badSegment) {
            LOG.log(System.Logger.Level.INFO, "Console: " + user + " was refused " + action.label() + " on projection "
                    + target + ": " + badSegment.getMessage());
            throw RefusedRequest.badFilter(badSegment.getMessage());
        }
    }

    private void resume(String name, Optional<Integer> segment) {
        segment.ifPresentOrElse(s -> projections.resume(name, s), () -> projections.resume(name));
    }

    private static void requireParked(ProjectionStatus status, Optional<Integer> segment) {
        boolean parked = segment.isEmpty() ? status.state() == ProjectionState.PARKED
                : status.segments().stream().anyMatch(s -> s.segment() == segment.get()
                        && s.state() == ProjectionState.PARKED);
        if (!parked) {
            throw RefusedRequest.conflict(status.name() + segment.map(s -> " segment " + s).orElse("")
                    + " is not parked; resume continues a paused projection");
        }
    }

    private ProjectionStatus known(String name) {
        if (!projections.names().contains(name)) {
            throw RefusedRequest.notFound("No asynchronous projection named '" + name + "' runs in this application;"
                    + " known: " + projections.names());
        }
        return projections.status(name);
    }
}
