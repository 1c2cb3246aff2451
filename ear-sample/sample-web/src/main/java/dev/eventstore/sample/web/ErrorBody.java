package dev.eventstore.sample.web;

/** The JSON body of every error answer. */
public record ErrorBody(int status, String error, String message, Long expectedVersion, Long actualVersion) {

    static ErrorBody of(int status, String error, String message) {
        return new ErrorBody(status, error, message, null, null);
    }
}
