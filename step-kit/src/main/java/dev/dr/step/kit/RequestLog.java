package dev.dr.step.kit;

import java.util.ArrayList;
import java.util.List;

/** The requests a contract test's real server received since the last call, oldest first. */
@FunctionalInterface
public interface RequestLog {
    List<ServerRequest> take() throws Exception;

    /** This log's requests, then {@code other}'s: a step that talks to two servers, or runs a process and writes files. */
    default RequestLog and(RequestLog other) {
        return () -> {
            List<ServerRequest> all = new ArrayList<>(take());
            all.addAll(other.take());
            return all;
        };
    }
}
