package io.jdrbd.node.config;

import io.jdrbd.node.config.Drafts.HostDraft;
import io.jdrbd.node.config.Drafts.ProxyDraft;
import io.jdrbd.node.config.Drafts.ResourceDraft;
import io.jdrbd.node.config.Drafts.VolumeDraft;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the statements inside host sections and volumes: device, disk, meta-disk, addresses,
 * node ids, proxy sections and stacked-on-top-of sections.
 */
final class VolumeParser {

    private static final long PORT_MIN = 1;
    private static final long PORT_MAX = 0xffff;

    private final TokenReader in;
    private final ParseContext context;
    private final OptionsParser options;

    VolumeParser(TokenReader in, ParseContext context) {
        this.in = in;
        this.context = context;
        this.options = new OptionsParser(in);
    }

    /** C's atoi: the leading decimal digits (an INTEGER token may carry a unit suffix). */
    static int atoi(String text) {
        long value = 0;
        for (int i = 0; i < text.length() && Character.isDigit(text.charAt(i)) && value <= Integer.MAX_VALUE; i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return (int) Math.min(value, Integer.MAX_VALUE);
    }

    /** Skips a {@code skip { ... }} block with everything nested in it. */
    static void skip(TokenReader in) throws ConfigException {
        SourceLocation at = in.here();
        int level = 0;
        while (true) {
            Token token = in.next();
            if (token.is(TokenType.EOF)) {
                throw new ConfigException(at, "reached eof while parsing this skip block.");
            }
            if (token.is(TokenType.LBRACE)) {
                level++;
            } else if (token.is(TokenType.RBRACE)) {
                level--;
                if (level == 0) {
                    return;
                }
            }
        }
    }

    /** Host names up to {@code end}; at least one. */
    List<String> hostNames(TokenType end) throws ConfigException {
        List<String> names = new ArrayList<>();
        while (true) {
            Token token = in.next();
            if (token.is(TokenType.STRING)) {
                names.add(token.text());
            } else if (token.is(end)) {
                if (names.isEmpty()) {
                    throw in.expected("TK_STRING");
                }
                return names;
            } else {
                throw in.expected("TK_STRING | '" + TokenReader.describe(end) + "'");
            }
        }
    }

    /** {@code [ipv4|ipv6|ssocks|sdp|sci] ADDR:PORT} (IPv6 in brackets), without the semicolon. */
    Address address() throws ConfigException {
        Token token = in.next();
        String family;
        Token host;
        String word = token.type() == TokenType.KEYWORD ? token.text() : "";
        if (token.is(TokenType.IPADDR)) {
            family = "ipv4";
            host = token;
        } else if (word.equals("sci") || word.equals("ssocks") || word.equals("sdp") || word.equals("ipv4")) {
            family = word.equals("sci") ? "ssocks" : word; // ssocks was called sci before
            host = in.expect(TokenType.IPADDR);
        } else if (word.equals("ipv6")) {
            family = "ipv6";
            in.expect(TokenType.LBRACKET);
            host = in.expect(TokenType.IPADDR6);
            in.expect(TokenType.RBRACKET);
        } else {
            throw in.expected("ssocks | sdp | ipv4 | ipv6 | <ipv4 address> ");
        }
        in.expect(TokenType.COLON);
        Token port = in.expect(TokenType.INTEGER);
        rangeCheck("port", port, PORT_MIN, PORT_MAX);
        return new Address(family, host.text(), port.text());
    }

    /** drbdadm's range check of statement values (port, node-id, minor-count, ...). */
    static void rangeCheck(String name, Token value, long min, long max) throws ConfigException {
        Long number = NumberValue.parse(value.text(), '1');
        if (number == null || Long.compareUnsigned(number, min) < 0 || Long.compareUnsigned(number, max) > 0) {
            throw new ConfigException(value.location(), name + " " + value.text() + " => "
                    + (number == null ? "?" : Long.toUnsignedString(number)) + " out of range [" + min + ".." + max
                    + "].");
        }
    }

    void nodeId(ResourceDraft res, HostDraft host, List<String> names) throws ConfigException {
        SourceLocation at = in.here();
        Token id = in.expect(TokenType.INTEGER);
        rangeCheck("node-id", id, 0, OptionTables.PEERS_MAX);
        host.nodeId = id.text();
        for (String name : names) {
            context.uniqueInResource("node-id statement", res.name + ":" + name + ":node-id", at);
        }
        context.uniqueInResource("node-id", res.name + ":" + host.nodeId, id.location());
        in.expect(TokenType.SEMICOLON);
    }

    /**
     * A statement that belongs to a volume (disk, device, meta-disk, flexible-meta-disk, skip);
     * returns false for anything else. {@code hostNames} is null at resource level.
     */
    boolean statement(VolumeDraft vol, List<String> hostNames, Token keyword) throws ConfigException {
        String word = keyword.type() == TokenType.KEYWORD ? keyword.text() : "";
        switch (word) {
            case "disk": {
                Token token = in.next();
                if (token.is(TokenType.STRING)) {
                    vol.disk = token.text();
                    in.expect(TokenType.SEMICOLON);
                } else if (token.is(TokenType.LBRACE)) {
                    diskOptions(vol.diskOptions, vol.peerDeviceOptions);
                } else {
                    in.checkStringError(token);
                    throw in.expected("TK_STRING | {");
                }
                vol.parsedDisk = true;
                vol.diskAt = keyword.location();
                return true;
            }
            case "device":
                device(hostNames, vol, keyword.location());
                vol.parsedDevice = true;
                return true;
            case "meta-disk":
                metaDisk(vol);
                vol.parsedMetaDisk = true;
                vol.metaDiskAt = keyword.location();
                return true;
            case "flexible-meta-disk":
                vol.metaDisk = in.expect(TokenType.STRING).text();
                vol.metaIndex = vol.metaDisk.equals("internal") ? "internal" : "flexible";
                in.expect(TokenType.SEMICOLON);
                vol.parsedMetaDisk = true;
                vol.metaDiskAt = keyword.location();
                return true;
            case "skip":
                skip(in);
                return true;
            default:
                return false;
        }
    }

    /** {@code volume N { ... }}. */
    VolumeDraft volume(int number, List<String> hostNames, SourceLocation at) throws ConfigException {
        VolumeDraft vol = new VolumeDraft();
        vol.number = number;
        vol.definedAt = at;
        in.expect(TokenType.LBRACE);
        while (true) {
            Token token = in.next();
            if (token.is(TokenType.RBRACE)) {
                return vol;
            }
            if (!statement(vol, hostNames, token)) {
                throw in.expected("device | disk | meta-disk | flex-meta-disk | }");
            }
        }
    }

    /** The body of {@code disk { }}: local-disk options, and peer-device options that may be mixed in. */
    void diskOptions(Drafts.Options disk, Drafts.Options peerDevice) throws ConfigException {
        options.parse(OptionTables.DISK, disk, word -> {
            boolean negated = word.text().startsWith("no-");
            OptionDef def = OptionTables.PEER_DEVICE.get(negated ? word.text().substring(3) : word.text());
            if (def == null) {
                throw in.expected(String.join(" | ", OptionTables.PEER_DEVICE.keySet()));
            }
            peerDevice.add(def.name(), options.value(def, negated));
        });
    }

    private void device(List<String> hostNames, VolumeDraft vol, SourceLocation at) throws ConfigException {
        boolean forThisHost = hostNames == null
                || hostNames.stream().anyMatch(n -> HostNames.equal(n, context.hostname));
        vol.deviceAt = at;
        Token token = in.next();
        if (token.is(TokenType.STRING)) {
            vol.device = token.text().startsWith("drbd") ? "/dev/" + token.text() : token.text();
            if (forThisHost && !vol.device.startsWith("/dev/drbd")) {
                throw new ConfigException(token.location(),
                        "device name must start with /dev/drbd (/dev/ is optional, but drbd is required)");
            }
            token = in.next();
            if (token.is(TokenType.SEMICOLON)) {
                vol.minor = minorOfDevice(vol.device);
                if (vol.minor < 0) {
                    throw new ConfigException(at, "no minor given nor device name contains a minor number");
                }
            } else if (!token.isKeyword("minor")) {
                throw in.expected("minor | ;");
            }
        }
        if (token.isKeyword("minor")) {
            vol.minor = atoi(in.expect(TokenType.INTEGER).text());
            in.expect(TokenType.SEMICOLON);
            if (forThisHost) {
                checkMinorMatchesName(vol.device, vol.minor, at);
            }
        }
        // anything else after "device" is consumed silently, as drbdadm does (the missing device is reported later)
        if (hostNames == null) {
            return;
        }
        for (String name : hostNames) {
            context.unique("device-minor", "device-minor:" + name + ":" + Integer.toUnsignedString(vol.minor), at);
            if (vol.device != null) {
                context.unique("device", "device:" + name + ":" + vol.device, at);
            }
        }
    }

    /** The minor in {@code /dev/drbdN} or a name of digits only, else -1. */
    static int minorOfDevice(String device) {
        String digits = device.startsWith("/dev/drbd") ? device.substring(9) : device;
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void checkMinorMatchesName(String device, int minor, SourceLocation at) throws ConfigException {
        if (device == null) {
            return;
        }
        String rest = device.length() > 9 ? device.substring(9) : "";
        if (!rest.isEmpty() && rest.chars().allMatch(c -> c >= '0' && c <= '9')) {
            if (minorOfDevice(device) == minor) {
                return;
            }
            throw new ConfigException(at, "explicit minor number must match with device name. Try \"device /dev/drbd"
                    + minor + " minor " + minor + ";\", or leave off either device name or explicit minor."
                    + " Arbitrary device names must start with /dev/drbd_");
        }
        if (!rest.startsWith("_")) {
            throw new ConfigException(at, "arbitrary device name must start with /dev/drbd_"
                    + " (mind the '_'! /dev/ is optional, but drbd_ is required)");
        }
    }

    private void metaDisk(VolumeDraft vol) throws ConfigException {
        vol.metaDisk = in.expect(TokenType.STRING).text();
        if (vol.metaDisk.equals("internal")) {
            vol.metaIndex = "internal";
            in.expect(TokenType.SEMICOLON);
            return;
        }
        Token token = in.next();
        if (token.is(TokenType.LBRACKET)) {
            vol.metaIndex = in.expect(TokenType.INTEGER).text();
            in.expect(TokenType.RBRACKET);
            in.expect(TokenType.SEMICOLON);
        } else if (token.is(TokenType.SEMICOLON)) {
            vol.metaIndex = "flexible";
        } else {
            throw in.expected("[ | ;");
        }
    }

    /** {@code proxy on HOST... { inside ADDR; outside ADDR; [options { ... }] }} after the proxy keyword. */
    ProxyDraft proxyOn() throws ConfigException {
        ProxyDraft proxy = new ProxyDraft();
        proxy.definedAt = in.here();
        in.expectKeyword("on");
        proxy.onHosts.addAll(hostNames(TokenType.LBRACE));
        while (true) {
            Token token = in.next();
            if (token.is(TokenType.RBRACE)) {
                break;
            }
            if (token.isKeyword("inside")) {
                proxy.inside = address();
                in.expect(TokenType.SEMICOLON);
            } else if (token.isKeyword("outside")) {
                proxy.outside = address();
                in.expect(TokenType.SEMICOLON);
            } else if (token.isKeyword("options")) {
                proxyOptions(proxy.options, proxy.plugins);
            } else {
                throw in.expected("inside | outside");
            }
        }
        for (String keyword : new String[] {"inside", "outside"}) {
            if ((keyword.equals("inside") ? proxy.inside : proxy.outside) == null) {
                throw new ConfigException(proxy.definedAt, "in section: proxy on " + String.join(" ", proxy.onHosts)
                        + " { ... } }: '" + keyword + "' keyword missing.");
            }
        }
        return proxy;
    }

    /**
     * {@code { option value; ...; plugin { line; line; } }}: proxy options, and any other word opens a
     * plugin section whose lines are kept as written (drbdadm does not check the word).
     */
    void proxyOptions(Drafts.Options into, Drafts.Options plugins) throws ConfigException {
        in.expect(TokenType.LBRACE);
        options.parse(OptionTables.PROXY, into, word -> {
            SourceLocation at = word.location();
            if (!in.next().is(TokenType.LBRACE)) {
                throw new ConfigException(at, "expected \"{\" after \"proxy\" keyword");
            }
            plugins.list.clear();
            pluginLines(plugins);
        });
    }

    private void pluginLines(Drafts.Options plugins) throws ConfigException {
        List<String> words = new ArrayList<>();
        while (true) {
            Token token = in.next();
            if (token.is(TokenType.EOF)) {
                throw in.expected("}");
            }
            if (token.is(TokenType.SEMICOLON)) {
                // an empty line is kept, named like drbdadm's empty name list
                plugins.add(words.isEmpty() ? "UNKNOWN" : String.join(" ", words), null);
                words.clear();
            } else if (token.is(TokenType.RBRACE)) {
                if (words.isEmpty()) {
                    return;
                }
                throw new ConfigException(token.location(), "Missing \";\" before  \"}\"");
            } else {
                words.add(token.text());
            }
        }
    }

    /** {@code stacked-on-top-of LOWER { device ...; address ...; [proxy ...] [volume N {...}] [node-id N;] }}. */
    void stackedSection(ResourceDraft res, SourceLocation at) throws ConfigException {
        HostDraft host = new HostDraft();
        host.kind = Host.Kind.STACKED;
        host.definedAt = at;
        res.hosts.add(host);
        Token lower = in.expect(TokenType.STRING);
        context.unique("stacked-on-top-of", "stacked:" + lower.text(), lower.location());
        host.lowerName = lower.text();
        in.expect(TokenType.LBRACE);
        while (true) {
            Token token = in.next();
            String word = token.type() == TokenType.KEYWORD ? token.text() : "";
            if (token.is(TokenType.RBRACE)) {
                break;
            }
            switch (word) {
                case "device": {
                    VolumeDraft vol = ResourceParser.volume0(host.volumes, token);
                    // drbdadm does not mark a stacked device as written, so its dump leaves it out
                    device(host.names, vol, token.location());
                    vol.metaDisk = "internal";
                    vol.metaIndex = "internal";
                    break;
                }
                case "address":
                    host.address = address();
                    in.expect(TokenType.SEMICOLON);
                    break;
                case "proxy":
                    host.proxy = proxyOn();
                    break;
                case "volume": {
                    Token number = in.expect(TokenType.INTEGER);
                    Drafts.insertVolume(host.volumes, stackedVolume(atoi(number.text()), number.location()));
                    break;
                }
                case "node-id":
                    nodeId(res, host, host.names);
                    break;
                default:
                    throw in.expected("device | address | proxy | volume | node-id");
            }
        }
        res.stackedOnOne = true;
    }

    private VolumeDraft stackedVolume(int number, SourceLocation at) throws ConfigException {
        VolumeDraft vol = new VolumeDraft();
        vol.number = number;
        vol.definedAt = at;
        in.expect(TokenType.LBRACE);
        while (true) {
            Token token = in.next();
            if (token.is(TokenType.RBRACE)) {
                break;
            }
            if (token.isKeyword("device")) {
                device(null, vol, token.location());
            } else if (token.isKeyword("disk")) {
                in.expect(TokenType.LBRACE);
                diskOptions(vol.diskOptions, vol.peerDeviceOptions);
            } else {
                throw in.expected("device | disk | }");
            }
        }
        vol.metaDisk = "internal";
        vol.metaIndex = "internal";
        return vol;
    }
}
