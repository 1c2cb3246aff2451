package dev.eventstore.console;

/**
 * The JSON body of every error answer.
 *
 * @param status  the HTTP status, repeated for clients that only see the body
 * @param error   a short code: {@code bad-filter}, {@code not-found}, {@code conflict}, {@code forbidden}, ...
 * @param message what went wrong and how to fix it
 */
public record ErrorBody(int status, String error, String message) {
}
