package io.jdrbd.node.config;

import io.jdrbd.node.config.Drafts.ConnectionDraft;
import io.jdrbd.node.config.Drafts.EndpointDraft;
import io.jdrbd.node.config.Drafts.HostDraft;
import io.jdrbd.node.config.Drafts.MeshDraft;
import io.jdrbd.node.config.Drafts.PathDraft;
import io.jdrbd.node.config.Drafts.PeerDeviceDraft;
import io.jdrbd.node.config.Drafts.ResourceDraft;

/** Parses {@code connection { }} (with hosts, paths, net, disk and volume sections) and {@code connection-mesh { }}. */
final class ConnectionParser {

    private static final int ENDPOINTS_PER_PATH = 2;

    private final TokenReader in;
    private final OptionsParser options;
    private final VolumeParser volumes;

    ConnectionParser(TokenReader in, ParseContext context, VolumeParser volumes) {
        this.in = in;
        this.options = new OptionsParser(in);
        this.volumes = volumes;
    }

    ConnectionDraft connection(ResourceDraft res) throws ConfigException {
        ConnectionDraft conn = new ConnectionDraft();
        conn.definedAt = in.here();
        Token token = in.next();
        if (token.is(TokenType.STRING)) {
            // drbdadm warns that connection names are deprecated and ignores them
            in.expect(TokenType.LBRACE);
        } else if (!token.is(TokenType.LBRACE)) {
            throw in.expected("{");
        }
        int hosts = 0;
        while (true) {
            token = in.next();
            if (token.is(TokenType.RBRACE)) {
                break;
            }
            if (isEndpointStart(token)) {
                PathDraft path = implicitPath(conn, token);
                path.endpoints.add(endpoint(token));
                if (++hosts > ENDPOINTS_PER_PATH) {
                    throw new ConfigException(token.location(), "only two 'host' keywords per connection allowed");
                }
                continue;
            }
            connectionStatement(conn, token);
        }
        if (conn.paths.isEmpty()) {
            throw new ConfigException(in.here(), "connection without a single path (maybe empty?) not allowed");
        }
        return conn;
    }

    private void connectionStatement(ConnectionDraft conn, Token token) throws ConfigException {
        String word = token.type() == TokenType.KEYWORD ? token.text() : "";
        switch (word) {
            case "_peer_node_id": {
                HostDraft peer = new HostDraft();
                peer.implicit = true;
                peer.definedAt = token.location();
                Token id = in.expect(TokenType.INTEGER);
                VolumeParser.rangeCheck("node-id", id, 0, OptionTables.PEERS_MAX);
                peer.nodeId = id.text();
                in.expect(TokenType.SEMICOLON);
                conn.peerNode = peer;
                return;
            }
            case "net":
                if (!conn.net.isEmpty()) {
                    throw new ConfigException(token.location(), "only one 'net' section per connection allowed");
                }
                in.expect(TokenType.LBRACE);
                options.parse(OptionTables.NET, conn.net, w -> {
                    throw in.expected("an option keyword");
                });
                return;
            case "skip":
                VolumeParser.skip(in);
                return;
            case "disk":
                in.expect(TokenType.LBRACE);
                conn.peerDeviceOptions = new Drafts.Options();
                options.parse(OptionTables.PEER_DEVICE, conn.peerDeviceOptions);
                return;
            case "volume": {
                Token number = in.expect(TokenType.INTEGER);
                PeerDeviceDraft peerDevice = new PeerDeviceDraft();
                peerDevice.volume = VolumeParser.atoi(number.text());
                peerDevice.definedAt = number.location();
                in.expect(TokenType.LBRACE);
                in.expectKeyword("disk");
                in.expect(TokenType.LBRACE);
                options.parse(OptionTables.PEER_DEVICE, peerDevice.options);
                in.expect(TokenType.RBRACE);
                conn.volumes.add(peerDevice);
                return;
            }
            case "_is_standalone":
                conn.standalone = true;
                in.expect(TokenType.SEMICOLON);
                return;
            case "path":
                conn.paths.add(path());
                return;
            default:
                throw in.expected("host | net | skip | }");
        }
    }

    private static boolean isEndpointStart(Token token) {
        return token.isKeyword("address") || token.isKeyword("host") || token.isKeyword("_this_host")
                || token.isKeyword("_remote_host");
    }

    /** Host statements written directly in a connection form its one implicit path. */
    private static PathDraft implicitPath(ConnectionDraft conn, Token at) throws ConfigException {
        if (conn.paths.isEmpty()) {
            PathDraft path = new PathDraft();
            path.implicit = true;
            path.definedAt = at.location();
            conn.paths.add(path);
            return path;
        }
        PathDraft path = conn.paths.get(0);
        if (!path.implicit) {
            throw new ConfigException(at.location(), "Explicit and implicit paths not allowed");
        }
        return path;
    }

    private PathDraft path() throws ConfigException {
        PathDraft path = new PathDraft();
        path.definedAt = in.here();
        in.expect(TokenType.LBRACE);
        while (true) {
            Token token = in.next();
            if (token.is(TokenType.RBRACE)) {
                return path;
            }
            if (!isEndpointStart(token)) {
                throw in.expected("host | }");
            }
            path.endpoints.add(endpoint(token));
            if (path.endpoints.size() > ENDPOINTS_PER_PATH) {
                throw new ConfigException(token.location(), "only two 'host' keywords per path allowed");
            }
        }
    }

    /** {@code host NAME [address ADDR | port N] [via proxy ...];}, {@code address ADDR;}, {@code _this_host ADDR;}. */
    private EndpointDraft endpoint(Token keyword) throws ConfigException {
        EndpointDraft ep = new EndpointDraft();
        ep.definedAt = keyword.location();
        switch (keyword.text()) {
            case "address":
                ep.name = "UNKNOWN";
                ep.byAddress = true;
                addressAndVia(ep);
                return ep;
            case "_this_host":
            case "_remote_host":
                ep.name = keyword.text();
                addressAndVia(ep);
                return ep;
            default:
                break;
        }
        ep.name = in.expect(TokenType.STRING).text();
        Token token = in.next();
        if (token.isKeyword("address")) {
            addressAndVia(ep);
        } else if (token.isKeyword("port")) {
            ep.port = in.expect(TokenType.INTEGER).text();
            ep.parsedPort = true;
            optionalVia(ep);
        } else if (token.isKeyword("via")) {
            in.expectKeyword("proxy");
            ep.proxy = volumes.proxyOn();
        } else if (!token.is(TokenType.SEMICOLON)) {
            throw in.expected("address | port | ;");
        }
        return ep;
    }

    private void addressAndVia(EndpointDraft ep) throws ConfigException {
        ep.address = volumes.address();
        ep.parsedAddress = true;
        optionalVia(ep);
    }

    private void optionalVia(EndpointDraft ep) throws ConfigException {
        Token token = in.next();
        if (token.isKeyword("via")) {
            in.expectKeyword("proxy");
            ep.proxy = volumes.proxyOn();
        } else if (!token.is(TokenType.SEMICOLON)) {
            throw in.expected("via | ; ");
        }
    }

    MeshDraft mesh() throws ConfigException {
        MeshDraft mesh = new MeshDraft();
        in.expect(TokenType.LBRACE);
        while (true) {
            Token token = in.next();
            if (token.is(TokenType.RBRACE)) {
                return mesh;
            }
            if (token.isKeyword("hosts")) {
                mesh.hosts.addAll(volumes.hostNames(TokenType.SEMICOLON));
            } else if (token.isKeyword("net")) {
                if (!mesh.net.isEmpty()) {
                    throw new ConfigException(token.location(), "only one 'net' section allowed");
                }
                in.expect(TokenType.LBRACE);
                options.parse(OptionTables.NET, mesh.net, w -> {
                    throw in.expected("an option keyword");
                });
            } else {
                throw in.expected("hosts | net | }");
            }
        }
    }
}
