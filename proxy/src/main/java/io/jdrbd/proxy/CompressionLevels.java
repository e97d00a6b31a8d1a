package io.jdrbd.proxy;

import java.util.List;
import java.util.Locale;

/**
 * Turns the compression settings of a drbd.conf {@code proxy} section into one zstd level, the way
 * DRBD Proxy v4 silently converts DRBD Proxy v3 settings. The table (docs/proxy.md repeats it):
 *
 * <pre>
 *   plugin { zstd level N; }       N (1..22)
 *   plugin { zstd; }               3
 *   plugin { zlib level N; }       N 1..3 -> 1, 4..5 -> 2, 6 -> 3, 7 -> 4, 8 -> 6, 9 -> 9
 *   plugin { lz4 level N; }        N 1..9 -> 1 (lz4 fast trades ratio for speed like zstd 1),
 *                                  10..12 (lz4hc) -> 3
 *   compression on;                3 (v1..v3's default compressor, zlib 6)
 *   compression N; (N 1..9)        as zlib level N
 *   several plugins                the strongest of their levels (one zstd pass replaces the chain)
 *   compression off; / nothing     0 (no compression)
 * </pre>
 *
 * zlib levels map to the zstd level of about the same ratio on text; zstd is faster at each.
 */
public final class CompressionLevels {

    public static final int ZSTD_MAX = 22;
    public static final int ZSTD_DEFAULT = 3;
    private static final int[] ZLIB_TO_ZSTD = {0, 1, 1, 1, 2, 2, 3, 4, 6, 9};

    private CompressionLevels() {
    }

    /**
     * The zstd level for a proxy section: {@code compression} is the value of a {@code compression}
     * option or null; {@code pluginLines} are the lines of {@code plugin { }} as written.
     */
    public static int fromSettings(String compression, List<String> pluginLines) {
        Integer fromPlugins = null;
        for (String line : pluginLines) {
            Integer level = fromPluginLine(line);
            if (level != null) {
                // v3 chained several compressors; one zstd pass at the strongest level stands for the chain.
                fromPlugins = fromPlugins == null ? level : Math.max(fromPlugins, level);
            }
        }
        if (fromPlugins != null) {
            return fromPlugins;
        }
        if (compression == null || compression.equals("off") || compression.equals("no")) {
            return 0;
        }
        if (compression.equals("on") || compression.equals("yes")) {
            return ZSTD_DEFAULT;
        }
        if (compression.matches("[0-9]")) {
            int zlibLevel = Integer.parseInt(compression);
            return zlibLevel == 0 ? 0 : ZLIB_TO_ZSTD[zlibLevel];
        }
        throw new IllegalArgumentException("proxy option 'compression " + compression + "': expected on or off");
    }

    /** The zstd level a plugin line asks for, or null when the line is not a compression plugin. */
    public static Integer fromPluginLine(String line) {
        String[] words = line.trim().toLowerCase(Locale.ROOT).split("\\s+");
        String plugin = words[0];
        if (!plugin.equals("zstd") && !plugin.equals("zlib") && !plugin.equals("lz4")) {
            return null;
        }
        Integer level = null;
        if (words.length == 3 && words[1].equals("level")) {
            level = parseLevel(words[2], line);
        } else if (words.length != 1) {
            throw new IllegalArgumentException("proxy plugin '" + line + "': expected '" + plugin + " level N'");
        }
        switch (plugin) {
            case "zstd":
                return checkRange(level == null ? ZSTD_DEFAULT : level, 1, ZSTD_MAX, line);
            case "zlib":
                return ZLIB_TO_ZSTD[checkRange(level == null ? 6 : level, 1, 9, line)];
            default:
                return checkRange(level == null ? 1 : level, 1, 12, line) <= 9 ? 1 : 3;
        }
    }

    private static int parseLevel(String word, String line) {
        try {
            return Integer.parseInt(word);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("proxy plugin '" + line + "': level '" + word + "' is not a number");
        }
    }

    private static int checkRange(int level, int min, int max, String line) {
        if (level < min || level > max) {
            throw new IllegalArgumentException("proxy plugin '" + line + "': level " + level + " outside "
                    + min + ".." + max);
        }
        return level;
    }
}
