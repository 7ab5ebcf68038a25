package io.gamewire.ingest;

import io.gamewire.protocol.ErrorCode;

/**
 * Why a translator refuses an event or request, with the answer each transport gives: the HTTP
 * status and the GWP error code (binary-protocol/PROTOCOL.md, "Error codes").
 */
public enum Refusal {
    /** No key, or a key no title has. */
    UNKNOWN_KEY(401, ErrorCode.AUTH_FAILED),
    /** The key's title, environments or access do not cover the routing key. */
    NOT_ALLOWED(403, ErrorCode.NOT_ALLOWED),
    INVALID_ROUTING_KEY(400, ErrorCode.INVALID_ROUTING_KEY),
    /** No title file defines the routing key's title, environment, service or command. */
    UNKNOWN_SERVICE(404, ErrorCode.UNKNOWN_SERVICE),
    /** The payload is not JSON or breaks the command's schema. */
    INVALID_EVENT(400, ErrorCode.INVALID_EVENT),
    /** A payload type the command cannot take (it needs JSON). */
    UNSUPPORTED_CONTENT_TYPE(415, ErrorCode.INVALID_EVENT),
    RATE_LIMITED(429, ErrorCode.RATE_LIMITED),
    /** The broker did not confirm the publish. */
    PUBLISH_FAILED(503, ErrorCode.PUBLISH_FAILED),
    /** No reply within the request timeout. */
    REQUEST_TIMEOUT(504, ErrorCode.REQUEST_TIMEOUT),
    /** Too many requests wait for replies in this instance. */
    OVERLOADED(503, ErrorCode.INTERNAL_ERROR),
    /**
     * The title files are still being loaded at start: no key or routing key can be checked yet,
     * and a 401 or 404 would tell a client to give up on an event it should resend.
     */
    NOT_READY(503, ErrorCode.INTERNAL_ERROR);

    private final int httpStatus;
    private final ErrorCode errorCode;

    Refusal(int httpStatus, ErrorCode errorCode) {
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public ErrorCode errorCode() {
        return errorCode;
    }
}
