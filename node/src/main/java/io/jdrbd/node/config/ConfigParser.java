package io.jdrbd.node.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the top level of a drbd.conf file: {@code global}, {@code common}, {@code resource},
 * {@code include} (glob patterns, relative to the including file), {@code skip} and the
 * {@code require-drbd-module-version-*} statements.
 */
final class ConfigParser {

    /** Refuses files bigger than this: a drbd.conf is kilobytes, this bounds memory for a wrong path. */
    static final long FILE_SIZE_MAX = 64L << 20;

    private final ParseContext context;

    ConfigParser(ParseContext context) {
        this.context = context;
    }

    /** Parses {@code file}, shown as {@code shownName} in messages. */
    void parseFile(Path file, String shownName) throws ConfigException {
        context.filesSeen.add(canonical(file));
        parseText(read(file, new SourceLocation(shownName, 0, 0)), shownName, file);
    }

    void parseText(String text, String shownName, Path file) throws ConfigException {
        String savedCanonical = context.canonicalFile;
        context.canonicalFile = file == null ? shownName : canonical(file).toString();
        try {
            parseTokens(text, shownName, file);
        } finally {
            context.canonicalFile = savedCanonical;
        }
    }

    private void parseTokens(String text, String shownName, Path file) throws ConfigException {
        TokenReader in = new TokenReader(new ConfigLexer(text, shownName));
        while (true) {
            Token token = in.next();
            if (token.is(TokenType.EOF)) {
                return;
            }
            String word = token.type() == TokenType.KEYWORD ? token.text() : "";
            switch (word) {
                case "global":
                    global(in, token);
                    break;
                case "common": {
                    Token brace = in.expect(TokenType.LBRACE);
                    SourceLocation definedAt = new SourceLocation(context.canonicalFile, brace.line(), 0);
                    context.common = new ResourceParser(in, context).parse("common", definedAt, false);
                    break;
                }
                case "resource":
                    resource(in, token);
                    break;
                case "skip":
                    VolumeParser.skip(in);
                    break;
                case "include": {
                    Token pattern = in.expect(TokenType.STRING);
                    in.expect(TokenType.SEMICOLON);
                    include(pattern, file);
                    break;
                }
                default:
                    if (word.startsWith("require-drbd-module-version-")) {
                        Token version = in.expect(TokenType.KMODVERS);
                        in.expect(TokenType.SEMICOLON);
                        context.moduleVersionRequirements.add(word + " " + version.text());
                        break;
                    }
                    throw in.expected("global | common | resource | skip | include |"
                            + " require-drbd-module-version-{eq,ne,gt,ge,lt,le}");
            }
        }
    }

    private void resource(TokenReader in, Token keyword) throws ConfigException {
        Token name = in.expect(TokenType.STRING);
        if (name.text().chars().anyMatch(c -> c < ' ' || c == 0x7f)) {
            throw new ConfigException(name.location(),
                    "Resource name is invalid - please don't use control characters.");
        }
        if (name.text().isEmpty()) {
            throw new ConfigException(name.location(), "Resource name is empty.");
        }
        context.unique("resource section", name.text(), name.location());
        Token brace = in.expect(TokenType.LBRACE);
        SourceLocation definedAt = new SourceLocation(context.canonicalFile, brace.line(), 0);
        context.resources.add(new ResourceParser(in, context).parse(name.text(), definedAt, true));
    }

    private void global(TokenReader in, Token keyword) throws ConfigException {
        context.unique("global section", "global", keyword.location());
        GlobalOptions g = context.global;
        boolean disableIpVerification = g.disableIpVerification();
        boolean udev = g.udevAlwaysUseVnr();
        int minorCount = g.minorCount();
        int dialogRefresh = g.dialogRefresh();
        String usageCount = g.usageCount();
        int[] cmdTimeouts = {g.cmdTimeoutShort(), g.cmdTimeoutMedium(), g.cmdTimeoutLong()};
        in.expect(TokenType.LBRACE);
        while (true) {
            Token token = in.next();
            if (token.is(TokenType.RBRACE)) {
                break;
            }
            String word = token.type() == TokenType.KEYWORD ? token.text() : "";
            switch (word) {
                case "udev-always-use-vnr":
                    udev = true;
                    break;
                case "disable-ip-verification":
                    disableIpVerification = true;
                    break;
                case "minor-count":
                    minorCount = number(in, "minor-count", 1, 255);
                    break;
                case "dialog-refresh":
                    dialogRefresh = number(in, "dialog-refresh", 0, 600);
                    break;
                case "cmd-timeout-short":
                    cmdTimeouts[0] = number(in, word, 0, 900);
                    break;
                case "cmd-timeout-medium":
                    cmdTimeouts[1] = number(in, word, 0, 900);
                    break;
                case "cmd-timeout-long":
                    cmdTimeouts[2] = number(in, word, 0, 900);
                    break;
                case "usage-count": {
                    Token value = in.next();
                    if (!(value.isKeyword("yes") || value.isKeyword("no") || value.isKeyword("ask"))) {
                        throw in.expected("yes | no | ask");
                    }
                    usageCount = value.text();
                    break;
                }
                default:
                    throw in.expected("dialog-refresh | minor-count | disable-ip-verification");
            }
            in.expect(TokenType.SEMICOLON);
        }
        context.global = new GlobalOptions(disableIpVerification, udev, minorCount, dialogRefresh, usageCount,
                cmdTimeouts[0], cmdTimeouts[1], cmdTimeouts[2]);
    }

    private static int number(TokenReader in, String name, long min, long max) throws ConfigException {
        Token value = in.expect(TokenType.INTEGER);
        VolumeParser.rangeCheck(name, value, min, max);
        return VolumeParser.atoi(value.text());
    }

    /**
     * Reads every file the pattern matches (in name order), relative to the including file's
     * directory; a pattern without wildcards must match a file; files already read are skipped.
     */
    private void include(Token pattern, Path includingFile) throws ConfigException {
        if (++context.includeDepth > ParseContext.INCLUDE_DEPTH_MAX) {
            throw new ConfigException(pattern.location(), "Includes nested too deeply");
        }
        try {
            Path base = includingFile == null ? Path.of("") : parentOf(includingFile);
            List<Path> files = expand(base, pattern.text());
            boolean wildcard = pattern.text().matches(".*[*?\\[].*");
            if (files.isEmpty() && !wildcard) {
                throw new ConfigException(pattern.location(),
                        "Failed to open include file '" + pattern.text() + "'.");
            }
            for (Path file : files) {
                if (!context.filesSeen.add(canonical(file))) {
                    continue;
                }
                String text = read(file, pattern.location());
                // like glob(3): a relative pattern yields names relative to the including file's directory
                String shown = pattern.text().startsWith("/") ? file.toString() : base.relativize(file).toString();
                parseText(text, shown, file);
            }
        } finally {
            context.includeDepth--;
        }
    }

    /**
     * Reads a {@code template-file}: a file (relative to the current one) holding a {@code common { }}
     * section that the resource inherits from instead of the configuration's common section.
     */
    static Drafts.ResourceDraft template(ParseContext context, Token name, String resourceName)
            throws ConfigException {
        Path base = context.canonicalFile.isEmpty() ? Path.of("") : parentOf(Path.of(context.canonicalFile));
        Path file = base.resolve(name.text());
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(name.location(), "Failed to open template file '" + name.text() + "'.");
        }
        if (++context.includeDepth > ParseContext.INCLUDE_DEPTH_MAX) {
            throw new ConfigException(name.location(), "Includes nested too deeply");
        }
        String savedCanonical = context.canonicalFile;
        context.canonicalFile = canonical(file).toString();
        try {
            TokenReader in = new TokenReader(new ConfigLexer(read(file, name.location()), name.text()));
            in.expectKeyword("common");
            Token brace = in.expect(TokenType.LBRACE);
            SourceLocation definedAt = new SourceLocation(context.canonicalFile, brace.line(), 0);
            return new ResourceParser(in, context).parse("template-" + resourceName, definedAt, false);
        } finally {
            context.canonicalFile = savedCanonical;
            context.includeDepth--;
        }
    }

    private static Path parentOf(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of("/") : parent;
    }

    /** Expands a glob the way glob(3) does: each path component may hold wildcards; results sorted. */
    static List<Path> expand(Path base, String pattern) {
        Path start = pattern.startsWith("/") ? Path.of("/") : base;
        String[] parts = pattern.split("/+");
        List<Path> current = new ArrayList<>(List.of(start));
        for (String part : parts) {
            if (part.isEmpty()) {
                continue;
            }
            List<Path> nextLevel = new ArrayList<>();
            for (Path dir : current) {
                nextLevel.addAll(matchComponent(dir, part));
            }
            current = nextLevel;
        }
        current.removeIf(p -> p.equals(start));
        current.sort(null);
        return current;
    }

    private static List<Path> matchComponent(Path dir, String part) {
        List<Path> matches = new ArrayList<>();
        if (!part.matches(".*[*?\\[].*")) {
            Path candidate = dir.resolve(part);
            if (Files.exists(candidate)) {
                matches.add(candidate);
            }
            return matches;
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + part);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                // like glob(3): wildcards do not match a leading dot
                if (!name.startsWith(".") && matcher.matches(entry.getFileName())) {
                    matches.add(entry);
                }
            }
        } catch (IOException e) {
            return matches;
        }
        matches.sort(null);
        return matches;
    }

    static String read(Path file, SourceLocation at) throws ConfigException {
        try {
            if (Files.size(file) > FILE_SIZE_MAX) {
                throw new ConfigException(at, "'" + file + "' is larger than " + FILE_SIZE_MAX + " bytes");
            }
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new ConfigException(at, "Failed to open include file '" + file + "': " + e.getMessage());
        }
    }

    static Path canonical(Path file) {
        try {
            return file.toRealPath();
        } catch (IOException e) {
            return file.toAbsolutePath().normalize();
        }
    }
}
