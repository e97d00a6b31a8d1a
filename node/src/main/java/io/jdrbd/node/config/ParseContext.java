package io.jdrbd.node.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What parsing one configuration (a file and everything it includes) accumulates: the sections
 * found so far, the files already read, and the keys that must be unique (drbdadm's check_uniq:
 * resource names, minors and node ids per host, ...), with where each was first used.
 */
final class ParseContext {

    /** Bounds include nesting; each file is read at most once anyway, this only limits the stack. */
    static final int INCLUDE_DEPTH_MAX = 64;

    final String hostname;
    final List<Drafts.ResourceDraft> resources = new ArrayList<>();
    Drafts.ResourceDraft common;
    GlobalOptions global = GlobalOptions.DEFAULTS;
    boolean globalSeen;
    final List<String> moduleVersionRequirements = new ArrayList<>();
    final Set<Path> filesSeen = new HashSet<>();
    private final Map<String, SourceLocation> unique = new HashMap<>();
    private Map<String, SourceLocation> uniquePerResource = new HashMap<>();
    int includeDepth;
    /** The absolute name of the file being parsed (drbdadm's config_save), used in "defined at". */
    String canonicalFile = "";

    ParseContext(String hostname) {
        this.hostname = hostname;
    }

    /** Starts a new resource: per-resource keys (host sections, node ids, ...) start afresh. */
    void startResource() {
        uniquePerResource = new HashMap<>();
    }

    /** Records a key that must be unique in the whole configuration; fails if it was used before. */
    void unique(String what, String key, SourceLocation at) throws ConfigException {
        check(unique, what, key, at);
    }

    /** Records a key that must be unique within the current resource. */
    void uniqueInResource(String what, String key, SourceLocation at) throws ConfigException {
        check(uniquePerResource, what, key, at);
    }

    private static void check(Map<String, SourceLocation> tree, String what, String key, SourceLocation at)
            throws ConfigException {
        SourceLocation first = tree.putIfAbsent(key, at);
        if (first != null) {
            throw new ConfigException(at, "conflicting use of " + what + " '" + key + "' (first used at " + first
                    + ")");
        }
    }
}
