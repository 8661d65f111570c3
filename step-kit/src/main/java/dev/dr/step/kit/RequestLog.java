package dev.dr.step.kit;

import java.util.List;

/** The requests a contract test's real server received since the last call, oldest first. */
@FunctionalInterface
public interface RequestLog {
    List<ServerRequest> take() throws Exception;
}
