package dev.eventstore.console;

/**
 * A request the console refuses, with the HTTP status, a short code and a message for the person who sent it. Mapped
 * to a JSON body by {@link ErrorMappers}; never carries a stack trace to the client.
 */
final class RefusedRequest extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    RefusedRequest(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    static RefusedRequest badFilter(String message) {
        return new RefusedRequest(400, "bad-filter", message);
    }

    static RefusedRequest notFound(String message) {
        return new RefusedRequest(404, "not-found", message);
    }

    static RefusedRequest conflict(String message) {
        return new RefusedRequest(409, "conflict", message);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }
}
