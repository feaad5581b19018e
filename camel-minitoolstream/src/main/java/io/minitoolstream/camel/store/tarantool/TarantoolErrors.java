package io.minitoolstream.camel.store.tarantool;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import io.minitoolstream.camel.store.StoreConflictException;
import io.minitoolstream.camel.store.StoreInvalidArgumentException;
import io.minitoolstream.camel.store.StoreReadOnlyException;
import io.minitoolstream.camel.store.StoreUnavailableException;
import io.minitoolstream.camel.store.StreamStoreException;
import io.tarantool.driver.api.retry.TarantoolRequestRetryPolicies;
import io.tarantool.driver.exceptions.NoAvailableConnectionsException;
import io.tarantool.driver.exceptions.TarantoolBadCredentialsException;
import io.tarantool.driver.exceptions.TarantoolConnectionException;
import io.tarantool.driver.exceptions.TarantoolTimeoutException;

/**
 * Turns driver and server failures into the store's typed exceptions, by {@code box.error} code. The Lua module
 * raises its own codes ({@link #INVALID_ARGUMENT}, {@link #CONFLICT}); Tarantool's own read-only refusals carry
 * theirs. cartridge-driver hands a server error over only as text of the form
 * {@code "InnerErrorMessage:\ncode: N\nmessage: ...\ntrace: ..."}, so the code and the message are read from
 * those two fields; nothing else of the text decides the type.
 */
final class TarantoolErrors {

    /** lua/minitoolstream/compat.lua: bad arguments. */
    static final int INVALID_ARGUMENT = 4000;
    /** lua/minitoolstream/compat.lua: valid, but contradicts what the server holds. */
    static final int CONFLICT = 4009;
    /** ER_READONLY: a replica, or an instance that is not (any more) the leader. */
    static final int READ_ONLY = 7;
    /**
     * "Not here, not now": nothing was committed, so asking another instance (or the same one after an election)
     * cannot store anything twice. ER_READONLY (a follower, an old leader), ER_LOADING (still bootstrapping after a
     * restart), ER_SYNC_QUORUM_TIMEOUT and ER_SYNC_ROLLBACK (a synchronous write rolled back: its quorum did not
     * answer, or the leader changed), ER_NOT_LEADER, ER_SYNC_QUEUE_UNCLAIMED and ER_SYNC_QUEUE_FOREIGN (2.10+: this
     * instance does not own the synchronous queue). Codes are stable across 2.6-3.x.
     */
    private static final int[] NOT_WRITABLE_HERE = {READ_ONLY, 116, 216, 217, 226, 227, 228};

    private static final String INNER_ERROR = "InnerErrorMessage:";

    private TarantoolErrors() {
    }

    /**
     * The typed exception for a failed call of {@code function}; {@code target} says where and as whom the client
     * connects (null for a client the user supplied), added to connection failures.
     */
    static StreamStoreException of(String function, Throwable error, String target) {
        Throwable cause = unwrap(error);
        if (cause instanceof StreamStoreException typed) {
            return typed;
        }
        String reason = reason(cause);
        Integer code = code(cause);
        String message = "Tarantool call " + function + " failed: ";
        if (code != null) {
            String withCode = reason + (code == 0 || code == INVALID_ARGUMENT || code == CONFLICT ? "" : " (code " + code + ")");
            if (code == INVALID_ARGUMENT) {
                return new StoreInvalidArgumentException(message + withCode, reason, cause);
            }
            if (code == CONFLICT) {
                return new StoreConflictException(message + withCode, reason, cause);
            }
            if (isNotWritableHere(code)) {
                return new StoreReadOnlyException(message + withCode, reason, cause);
            }
            return new StreamStoreException(message + withCode, reason, cause);
        }
        if (isUnavailable(cause)) {
            // The driver logs the server's reason for a refused login but does not pass it on: say where we tried,
            // as whom, and what to check.
            String where = target == null ? "" : " (Tarantool at " + target
                    + "; check that it is running and that the username and password are right)";
            return new StoreUnavailableException(message + reason + where, reason, cause);
        }
        return new StreamStoreException(message + reason + (target == null ? "" : " (Tarantool at " + target + ")"),
                reason, cause);
    }

    /** Worth asking another instance of a replica set: a not-writable refusal, or a connection problem. */
    static boolean isFailover(Throwable error) {
        return isNotWritableHere(error) || TarantoolRequestRetryPolicies.retryNetworkErrors().test(error);
    }

    /** A refusal by an instance that cannot write now (see {@link #NOT_WRITABLE_HERE}). */
    static boolean isNotWritableHere(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            Integer code = code(t);
            if (code != null && isNotWritableHere(code) || t instanceof StoreReadOnlyException) {
                return true;
            }
        }
        return false;
    }

    /** The connection is gone or could not be made. */
    static boolean isConnectionFailure(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof TarantoolConnectionException || t instanceof NoAvailableConnectionsException) {
                return true;
            }
        }
        return false;
    }

    private static boolean isNotWritableHere(int code) {
        for (int candidate : NOT_WRITABLE_HERE) {
            if (candidate == code) {
                return true;
            }
        }
        return false;
    }

    /** Not reached, not answered in time, or not let in: worth trying again later. */
    private static boolean isUnavailable(Throwable cause) {
        if (isConnectionFailure(cause)) {
            return true;
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof TarantoolTimeoutException || t instanceof TarantoolBadCredentialsException
                    || t instanceof java.util.concurrent.TimeoutException || t instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }

    static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /** The box.error code of a server error; null for client-side failures. */
    static Integer code(Throwable cause) {
        String text = cause.getMessage();
        if (text == null || !text.startsWith(INNER_ERROR)) {
            return null;
        }
        String code = field(text, "\ncode: ");
        try {
            return code == null ? null : Integer.valueOf(code);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The server's message for a box error; for a client-side error (connection refused, timeout) its text plus
     * its cause's.
     */
    static String reason(Throwable cause) {
        String text = cause.getMessage();
        if (text == null || text.isBlank()) {
            text = cause.getClass().getSimpleName();
        }
        String message = text.startsWith(INNER_ERROR) ? field(text, "\nmessage: ") : null;
        if (message != null) {
            int trace = message.indexOf("\ntrace: ");
            return (trace >= 0 ? message.substring(0, trace) : message).strip();
        }
        Throwable inner = cause.getCause();
        if (inner != null && inner != cause && inner.getMessage() != null && !text.contains(inner.getMessage())) {
            text = text + ": " + inner.getMessage();
        }
        return text.strip();
    }

    /** The value of a "\nname: value" field: up to the next line for the code, to the end for the message. */
    private static String field(String text, String name) {
        int start = text.indexOf(name);
        if (start < 0) {
            return null;
        }
        int from = start + name.length();
        if (name.contains("message")) {
            return text.substring(from);
        }
        int end = text.indexOf('\n', from);
        return text.substring(from, end < 0 ? text.length() : end).strip();
    }
}
