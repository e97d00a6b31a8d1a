package io.jdrbd.sim;

import java.util.Map;
import java.util.TreeMap;

/**
 * A node's states as its events2 stream tells them, the way DRBD's own test suite watches a node:
 * every {@code exists}/{@code create}/{@code change} line updates the key:value fields of its object
 * (resource, device, connection per peer, peer-device per peer). Reading states from the event
 * stream, not from engine internals, also checks that the stream says what the engine does.
 */
public final class Events2View implements NodeView {
    private final Map<String, String> resource = new TreeMap<>();
    private final Map<String, String> device = new TreeMap<>();
    private final Map<Integer, Map<String, String>> connections = new TreeMap<>();
    private final Map<Integer, Map<String, String>> peerDevices = new TreeMap<>();
    private int pendingRequests;

    /** Applies one events2 line (without timestamp). */
    public void apply(String line) {
        String[] tokens = line.split(" ");
        if (tokens.length < 2) {
            return;
        }
        String action = tokens[0];
        String object = tokens[1];
        Map<String, String> fields = new TreeMap<>();
        for (int i = 2; i < tokens.length; i++) {
            int colon = tokens[i].indexOf(':');
            if (colon > 0) {
                fields.put(tokens[i].substring(0, colon), tokens[i].substring(colon + 1));
            }
        }
        Map<String, String> target = target(object, fields);
        if (target == null) {
            return;
        }
        if ("destroy".equals(action)) {
            target.clear();
            return;
        }
        target.putAll(fields);
    }

    private Map<String, String> target(String object, Map<String, String> fields) {
        switch (object) {
            case "resource":
                return resource;
            case "device":
                return device;
            case "connection":
                return peerMap(connections, fields);
            case "peer-device":
                return peerMap(peerDevices, fields);
            default:
                return null;
        }
    }

    private static Map<String, String> peerMap(Map<Integer, Map<String, String>> byPeer, Map<String, String> fields) {
        String peer = fields.get("peer-node-id");
        if (peer == null) {
            return null;
        }
        return byPeer.computeIfAbsent(Integer.parseInt(peer), id -> new TreeMap<>());
    }

    void pendingRequests(int count) {
        this.pendingRequests = count;
    }

    @Override
    public String role() {
        return resource.getOrDefault("role", "Unknown");
    }

    @Override
    public String disk() {
        return device.getOrDefault("disk", "Diskless");
    }

    @Override
    public String connection(int peer) {
        Map<String, String> fields = connections.get(peer);
        return fields == null ? "StandAlone" : fields.getOrDefault("connection", "StandAlone");
    }

    @Override
    public String replication(int peer) {
        Map<String, String> fields = peerDevices.get(peer);
        return fields == null ? "Off" : fields.getOrDefault("replication", "Off");
    }

    @Override
    public String peerDisk(int peer) {
        Map<String, String> fields = peerDevices.get(peer);
        return fields == null ? "DUnknown" : fields.getOrDefault("peer-disk", "DUnknown");
    }

    @Override
    public int pendingRequests() {
        return pendingRequests;
    }
}
