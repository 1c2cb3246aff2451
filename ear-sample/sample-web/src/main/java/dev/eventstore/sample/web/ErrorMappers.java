package dev.eventstore.sample.web;

import dev.eventstore.OptimisticConcurrencyException;
import dev.eventstore.sample.order.InvalidCommandException;
import dev.eventstore.sample.order.OrderNotFoundException;
import jakarta.json.bind.JsonbException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Domain and store errors as JSON answers: 400 invalid command, 404 unknown order, 409 concurrency conflict. */
final class ErrorMappers {

    private ErrorMappers() {
    }

    private static Response answer(Response.Status status, ErrorBody body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
    }

    @Provider
    public static class Conflict implements ExceptionMapper<OptimisticConcurrencyException> {
        @Override
        public Response toResponse(OptimisticConcurrencyException e) {
            Long expected = e.expectedVersion().isAny() ? null : e.expectedVersion().version();
            Long actual = e.actualVersion().isPresent() ? e.actualVersion().getAsLong() : null;
            return answer(Response.Status.CONFLICT, new ErrorBody(409, "conflict",
                    "The order was changed by someone else. Reload it (GET /api/orders/" + e.aggregateId()
                            + "), then retry with its current version as If-Match.", expected, actual));
        }
    }

    @Provider
    public static class InvalidCommand implements ExceptionMapper<InvalidCommandException> {
        @Override
        public Response toResponse(InvalidCommandException e) {
            return answer(Response.Status.BAD_REQUEST, ErrorBody.of(400, "invalid-command", e.getMessage()));
        }
    }

    @Provider
    public static class UnknownOrder implements ExceptionMapper<OrderNotFoundException> {
        @Override
        public Response toResponse(OrderNotFoundException e) {
            return answer(Response.Status.NOT_FOUND, ErrorBody.of(404, "not-found", e.getMessage()));
        }
    }

    @Provider
    public static class NotFound implements ExceptionMapper<NotFoundException> {
        @Override
        public Response toResponse(NotFoundException e) {
            return answer(Response.Status.NOT_FOUND, ErrorBody.of(404, "not-found", e.getMessage()));
        }
    }

    /** Other HTTP errors (415, 405...) keep their status, with the same JSON body. */
    @Provider
    public static class HttpError implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            int status = e.getResponse().getStatus();
            return Response.status(status).type(MediaType.APPLICATION_JSON)
                    .entity(ErrorBody.of(status, "http-error", e.getMessage())).build();
        }
    }

    /** Anything unexpected: 500 without internals; the server log has the details. */
    @Provider
    public static class Unexpected implements ExceptionMapper<Exception> {
        private static final System.Logger LOG = System.getLogger(Unexpected.class.getName());

        @Override
        public Response toResponse(Exception e) {
            LOG.log(System.Logger.Level.ERROR, "Request failed", e);
            return answer(Response.Status.INTERNAL_SERVER_ERROR,
                    ErrorBody.of(500, "internal-error", "The request failed; see the server log."));
        }
    }

    /** A body that is not valid JSON for the request type. */
    @Provider
    public static class UnreadableBody implements ExceptionMapper<ProcessingException> {
        @Override
        public Response toResponse(ProcessingException e) {
            Throwable cause = e.getCause() instanceof JsonbException ? e.getCause() : e;
            return answer(Response.Status.BAD_REQUEST, ErrorBody.of(400, "invalid-body", cause.getMessage()));
        }
    }
}
