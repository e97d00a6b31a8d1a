package io.jdrbd.cli.adm;

import io.jdrbd.node.control.ControlClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds the control endpoint of the node an {@code adm} or {@code setup} command talks to: the
 * control file {@code DIR/NODE.control}, where DIR is {@code --dir} (a local cluster) or the node
 * daemons' run directory, and NODE is {@code --node} (or JDRBD_NODE); when neither names a node and
 * DIR holds exactly one, that one.
 */
public final class NodeLocator {

    private NodeLocator() {
    }

    /**
     * @param dir          {@code --dir}, or null for the default run directory
     * @param explicitNode {@code --node} or JDRBD_NODE, or null
     * @param fallbackNode the node to use when DIR holds several and none was named (this host's name)
     */
    public static ControlClient locate(Path dir, String explicitNode, String fallbackNode) throws IOException {
        Path where = dir != null ? dir : ControlClient.defaultRunDir();
        if (explicitNode != null && !explicitNode.isEmpty()) {
            return ControlClient.forNode(where, explicitNode);
        }
        List<String> nodes = ControlClient.nodesIn(where);
        if (nodes.size() == 1) {
            return ControlClient.forNode(where, nodes.get(0));
        }
        if (nodes.isEmpty()) {
            throw new IOException("no running node in " + where + " (no *.control file; is 'jdrbd node' or "
                    + "'jdrbd cluster up' running? use --dir DIR)");
        }
        if (nodes.contains(fallbackNode)) {
            return ControlClient.forNode(where, fallbackNode);
        }
        throw new IOException(nodes.size() + " nodes run in " + where + " " + nodes + ": choose one with --node NAME");
    }

    /** JDRBD_NODE when set, else null. */
    public static String nodeFromEnvironment() {
        String env = System.getenv("JDRBD_NODE");
        return env == null || env.isEmpty() ? null : env;
    }
}
