package dev.dr.steps.archive;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The path rules of {@link SafeExtract}, on entry names as strings: the check must not depend on
 * what already exists on disk, which the archive itself controls.
 */
final class EntryPaths {
    private EntryPaths() {}

    /**
     * An entry name as a normalized relative path ({@code /}-separated, no {@code .} or
     * {@code ..} left); the empty string is the destination itself.
     */
    static String relative(String entry) throws ArchiveRefused {
        return relative(entry, entry, "path");
    }

    /** A hard link's target: like an entry name, relative to the top of the archive. */
    static String hardlinkTarget(String entry, String target) throws ArchiveRefused {
        String rel = relative(entry, target, "hardlink target " + target);
        if (rel.isEmpty()) {
            throw refused(entry, "hardlink target " + target + " is the destination itself");
        }
        return rel;
    }

    /**
     * Checks a symlink target, which is relative to the link's own folder. Leading {@code ..}
     * may climb as far as the top of the destination and no further. A {@code ..} after a name
     * is refused: the name may be (or later become) another symlink, and {@code ..} from where
     * that link points can leave the destination although the text stays inside.
     */
    static void checkSymlinkTarget(String entry, String rel, String target) throws ArchiveRefused {
        if (target.isEmpty()) {
            throw refused(entry, "empty symlink target");
        }
        if (target.startsWith("/")) {
            throw refused(entry, "symlink target " + target + " is absolute");
        }
        int depth = rel.isEmpty() ? 0 : rel.split("/").length - 1;
        int climbs = 0;
        boolean named = false;
        for (String seg : target.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (!seg.equals("..")) {
                named = true;
            } else if (named) {
                throw refused(entry, "symlink target " + target
                        + " has .. after a name, which another symlink could turn outside the destination");
            } else if (++climbs > depth) {
                throw refused(entry, "symlink target " + target + " escapes the destination");
            }
        }
    }

    static ArchiveRefused refused(String entry, String rule) {
        return new ArchiveRefused("entry " + entry + ": " + rule);
    }

    private static String relative(String entry, String name, String what) throws ArchiveRefused {
        if (name.startsWith("/")) {
            throw refused(entry, what.equals("path") ? "absolute path" : what + " is absolute");
        }
        Deque<String> parts = new ArrayDeque<>();
        for (String seg : name.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                if (parts.isEmpty()) {
                    throw refused(entry, what + " escapes the destination");
                }
                parts.removeLast();
            } else {
                parts.addLast(seg);
            }
        }
        return String.join("/", parts);
    }
}
