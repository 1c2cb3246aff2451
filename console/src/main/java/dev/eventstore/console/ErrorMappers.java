package dev.eventstore.console;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Every failure as a JSON {@link ErrorBody}; unexpected ones as a 500 without internals (the server log has them). */
final class ErrorMappers {

    private static final System.Logger LOG = System.getLogger(ErrorMappers.class.getName());

    private ErrorMappers() {
    }

    static Response answer(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(new ErrorBody(status, code, message)).build();
    }

    @Provider
    public static class Refused implements ExceptionMapper<RefusedRequest> {
        @Override
        public Response toResponse(RefusedRequest e) {
            return answer(e.status(), e.code(), e.getMessage());
        }
    }

    /** The store rejects a value only the database can judge (for example metadata that is not valid JSON). */
    @Provider
    public static class RejectedValue implements ExceptionMapper<IllegalArgumentException> {
        @Override
        public Response toResponse(IllegalArgumentException e) {
            return answer(400, "bad-filter", e.getMessage());
        }
    }

    /** 404 for an unknown path, 405, 415 ...: the status stays, the body is JSON. */
    @Provider
    public static class HttpError implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            int status = e.getResponse().getStatus();
            return answer(status, "http-error", e.getMessage());
        }
    }

    @Provider
    public static class Unexpected implements ExceptionMapper<Exception> {
        @Override
        public Response toResponse(Exception e) {
            LOG.log(System.Logger.Level.ERROR, "Console request failed", e);
            return answer(500, "internal-error", "The request failed; the server log has the details.");
        }
    }
}
