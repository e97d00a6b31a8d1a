package io.jdrbd.node.config;

import io.jdrbd.node.config.Drafts.HostDraft;
import io.jdrbd.node.config.Drafts.ResourceDraft;
import io.jdrbd.node.config.Drafts.VolumeDraft;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a {@code resource NAME { ... }} (or {@code common { ... }}) body: its option sections,
 * resource-level volume statements, host sections, connections and meshes, following the grammar
 * of drbdadm_parser.c (parse_resource and what it calls).
 */
final class ResourceParser {

    private final TokenReader in;
    private final ParseContext context;
    private final OptionsParser options;
    private final VolumeParser volumes;
    private final ConnectionParser connections;

    ResourceParser(TokenReader in, ParseContext context) {
        this.in = in;
        this.context = context;
        this.options = new OptionsParser(in);
        this.volumes = new VolumeParser(in, context);
        this.connections = new ConnectionParser(in, context, volumes);
    }

    /** Parses up to the closing brace; {@code hostsAllowed} is false for common and templates. */
    ResourceDraft parse(String name, SourceLocation definedAt, boolean hostsAllowed) throws ConfigException {
        context.startResource();
        ResourceDraft res = new ResourceDraft();
        res.name = name;
        res.definedAt = definedAt;
        while (true) {
            Token token = in.next();
            if (token.is(TokenType.RBRACE) || token.is(TokenType.EOF)) {
                break;
            }
            if (!statement(res, token)) {
                throw in.expected("protocol | on | disk | net | syncer | startup | handlers | connection |"
                        + " ignore-on | stacked-on-top-of | skip");
            }
        }
        if (!hostsAllowed && !res.hosts.isEmpty()) {
            throw new ConfigException(res.hosts.get(0).definedAt,
                    "in the " + name + " section, there are no host sections allowed.");
        }
        return res;
    }

    private boolean statement(ResourceDraft res, Token token) throws ConfigException {
        if (token.is(TokenType.STRING) && token.text().equals("protocol")) {
            context.uniqueInResource("protocol statement", res.name + ": protocol", token.location());
            OptionDef protocol = OptionTables.NET_CHANGEABLE.get("protocol");
            res.sections.net.add(protocol.name(), options.value(protocol, false));
            return true;
        }
        if (token.type() != TokenType.KEYWORD) {
            return false;
        }
        switch (token.text()) {
            case "on": {
                List<String> names = hostNames(TokenType.LBRACE);
                hostSection(res, names, Host.Kind.ON, token.location());
                return true;
            }
            case "_this_host":
                in.expect(TokenType.LBRACE);
                hostSection(res, List.of("_this_host"), Host.Kind.THIS_HOST, token.location());
                return true;
            case "floating":
                hostSection(res, new ArrayList<>(), Host.Kind.FLOATING, token.location());
                return true;
            case "stacked-on-top-of":
                volumes.stackedSection(res, token.location());
                return true;
            case "disk":
                resourceDisk(res, token);
                return true;
            case "device":
                context.uniqueInResource("device statement", res.name + ":device", token.location());
                volumes.statement(volume0(res.volumes, token), null, token);
                return true;
            case "meta-disk":
            case "flexible-meta-disk":
                volumes.statement(volume0(res.volumes, token), null, token);
                return true;
            case "volume": {
                Token number = in.expect(TokenType.INTEGER);
                Drafts.insertVolume(res.volumes, volumes.volume(VolumeParser.atoi(number.text()), null,
                        number.location()));
                return true;
            }
            default:
                return sectionStatement(res, token);
        }
    }

    private boolean sectionStatement(ResourceDraft res, Token token) throws ConfigException {
        Drafts.SectionsDraft sections = res.sections;
        switch (token.text()) {
            case "net":
                context.uniqueInResource("net section", res.name + ":net", token.location());
                in.expect(TokenType.LBRACE);
                options.parse(OptionTables.NET, sections.net, this::netDelegate);
                return true;
            case "syncer":
                context.uniqueInResource("syncer section", res.name + ":syncer", token.location());
                in.expect(TokenType.LBRACE);
                syncer(sections);
                return true;
            case "startup":
                context.uniqueInResource("startup section", res.name + ":startup", token.location());
                in.expect(TokenType.LBRACE);
                options.parse(OptionTables.STARTUP, sections.startup, word -> startupDelegate(res, word));
                return true;
            case "handlers":
                context.uniqueInResource("handlers section", res.name + ":handlers", token.location());
                in.expect(TokenType.LBRACE);
                options.parse(OptionTables.HANDLERS, sections.handlers);
                return true;
            case "proxy":
                context.uniqueInResource("proxy section", res.name + ":proxy", token.location());
                volumes.proxyOptions(sections.proxy, sections.proxyPlugins);
                return true;
            case "options":
                context.uniqueInResource("resource options section", res.name + ":res_options", token.location());
                in.expect(TokenType.LBRACE);
                options.parse(OptionTables.RESOURCE, sections.options);
                return true;
            case "connection":
                res.connections.add(connections.connection(res));
                return true;
            case "connection-mesh":
                res.meshes.add(connections.mesh());
                return true;
            case "template-file": {
                Token file = in.expect(TokenType.STRING);
                in.expect(TokenType.SEMICOLON);
                ResourceDraft template = ConfigParser.template(context, file, res.name);
                res.templateFile = template.definedAt.file();
                res.template = template.sections;
                return true;
            }
            case "skip":
                VolumeParser.skip(in);
                return true;
            default:
                return false;
        }
    }

    private void resourceDisk(ResourceDraft res, Token keyword) throws ConfigException {
        Token token = in.next();
        if (token.is(TokenType.STRING)) {
            VolumeDraft vol = volume0(res.volumes, keyword);
            vol.disk = token.text();
            vol.parsedDisk = true;
            vol.diskAt = keyword.location();
            in.expect(TokenType.SEMICOLON);
        } else if (token.is(TokenType.LBRACE)) {
            context.uniqueInResource("disk section", res.name + ":disk", keyword.location());
            volumes.diskOptions(res.sections.disk, res.sections.peerDevice);
        } else {
            in.checkStringError(token);
            throw in.expected("TK_STRING | {");
        }
    }

    /** The old {@code syncer} section: each option goes to net, disk or resource options. */
    private void syncer(Drafts.SectionsDraft sections) throws ConfigException {
        while (true) {
            Token word = in.next();
            if (word.is(TokenType.RBRACE)) {
                return;
            }
            String text = OptionTables.deprecatedAlias(word.text());
            boolean negated = text.startsWith("no-");
            String name = negated ? text.substring(3) : text;
            if (OptionTables.NET.containsKey(name)) {
                sections.net.add(name, options.value(OptionTables.NET.get(name), negated));
            } else if (OptionTables.DISK.containsKey(name)) {
                sections.disk.add(name, options.value(OptionTables.DISK.get(name), negated));
            } else if (OptionTables.RESOURCE.containsKey(name)) {
                sections.options.add(name, options.value(OptionTables.RESOURCE.get(name), negated));
            } else {
                throw in.expected("a syncer option keyword");
            }
        }
    }

    private void netDelegate(Token word) throws ConfigException {
        throw in.expected("an option keyword");
    }

    private void startupDelegate(ResourceDraft res, Token word) throws ConfigException {
        if (word.text().equals("become-primary-on")) {
            // deprecated: read and ignore up to the semicolon, as drbdadm does
            Token token;
            do {
                token = in.next();
                if (token.is(TokenType.EOF)) {
                    throw in.expected(";");
                }
            } while (!token.is(TokenType.SEMICOLON));
        } else if (word.text().equals("stacked-timeouts")) {
            res.sections.stackedTimeouts = true;
            in.expect(TokenType.SEMICOLON);
        } else {
            throw in.expected("<an option keyword> | become-primary-on | stacked-timeouts");
        }
    }

    /** Host names up to {@code end} (at least one). */
    List<String> hostNames(TokenType end) throws ConfigException {
        return volumes.hostNames(end);
    }

    private void hostSection(ResourceDraft res, List<String> names, Host.Kind kind, SourceLocation at)
            throws ConfigException {
        HostDraft host = new HostDraft();
        host.kind = kind;
        host.names.addAll(names);
        host.definedAt = at;
        host.requireMinor = kind != Host.Kind.THIS_HOST;
        boolean inBraces = true;
        if (kind == Host.Kind.FLOATING) {
            host.address = volumes.address();
            String fakeName = host.address.isIpv6() ? "ipv6 [" + host.address.host() + "]:" + host.address.port()
                    : host.address.host() + ":" + host.address.port();
            host.names.add(0, fakeName);
            Token token = in.next();
            if (token.is(TokenType.SEMICOLON)) {
                inBraces = false;
            } else if (!token.is(TokenType.LBRACE)) {
                throw in.expected("{ | ;");
            }
        }
        for (String name : names) {
            context.uniqueInResource("host section", res.name + ": on " + name, at);
        }
        res.hosts.add(host);
        while (inBraces) {
            Token token = in.next();
            if (token.is(TokenType.RBRACE)) {
                break;
            }
            hostStatement(res, host, token, names);
        }
    }

    private void hostStatement(ResourceDraft res, HostDraft host, Token token, List<String> names)
            throws ConfigException {
        String word = token.type() == TokenType.KEYWORD ? token.text() : "";
        switch (word) {
            case "disk":
            case "device":
            case "meta-disk":
            case "flexible-meta-disk": {
                String what = word.equals("flexible-meta-disk") ? "meta-disk" : word;
                for (String name : names) {
                    context.uniqueInResource(what + " statement", res.name + ":" + name + ":" + what,
                            token.location());
                }
                volumes.statement(volume0(host.volumes, token), names, token);
                return;
            }
            case "address":
                if (host.kind == Host.Kind.FLOATING) {
                    throw new ConfigException(token.location(),
                            "address statement not allowed for floating {} host sections");
                }
                for (String name : names) {
                    context.uniqueInResource("address statement", res.name + ":" + name + ":address",
                            token.location());
                }
                host.address = volumes.address();
                in.expect(TokenType.SEMICOLON);
                return;
            case "proxy":
                host.proxy = volumes.proxyOn();
                return;
            case "volume": {
                Token number = in.expect(TokenType.INTEGER);
                Drafts.insertVolume(host.volumes, volumes.volume(VolumeParser.atoi(number.text()), names,
                        number.location()));
                return;
            }
            case "node-id":
                volumes.nodeId(res, host, names);
                return;
            case "options":
                in.expect(TokenType.LBRACE);
                host.options = new Drafts.Options();
                options.parse(OptionTables.RESOURCE, host.options);
                return;
            case "skip":
                VolumeParser.skip(in);
                return;
            default:
                throw in.expected("disk | device | address | meta-disk | flexible-meta-disk | node-id | skip");
        }
    }

    /**
     * The implicit volume 0 for statements written outside any {@code volume} section; mixing that
     * with explicit volumes is an error.
     */
    static VolumeDraft volume0(List<VolumeDraft> volumes, Token at) throws ConfigException {
        if (volumes.isEmpty()) {
            VolumeDraft vol = new VolumeDraft();
            vol.implicit = true;
            vol.definedAt = at.location();
            volumes.add(vol);
            return vol;
        }
        VolumeDraft first = volumes.get(0);
        if (first.number == 0 && volumes.size() == 1 && first.implicit) {
            return first;
        }
        throw new ConfigException(at.location(), "mixing explicit and implicit volumes is not allowed");
    }
}
