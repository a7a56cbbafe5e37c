package org.gallerybench.dashboard.bench;

/** How a request failed. A 404 or a 505 is an error like any other non-2xx answer, never a success. */
public enum ErrorKind {
    /** No connection could be made (refused, unreachable). */
    CONNECT,
    /** No complete answer within the request timeout. */
    TIMEOUT,
    /** An answer whose status was not 2xx. */
    NON_2XX,
    /** Anything else: a reset connection, a malformed answer. */
    OTHER
}
