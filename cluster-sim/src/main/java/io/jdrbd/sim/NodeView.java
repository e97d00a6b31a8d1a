package io.jdrbd.sim;

/**
 * What the checkers and {@code awaitState} can see of one node, in the events2 words
 * ({@code role:Primary}, {@code disk:UpToDate}, {@code connection:Connected},
 * {@code replication:Established}, {@code peer-disk:UpToDate}).
 */
public interface NodeView {
    String role();

    String disk();

    /** Connection state towards {@code peer} ({@code StandAlone} for an unknown peer). */
    String connection(int peer);

    /** Replication state towards {@code peer} ({@code Off} when not connected). */
    String replication(int peer);

    /** The peer's disk state as this node knows it ({@code DUnknown} when not connected). */
    String peerDisk(int peer);

    /** Upper-layer requests accepted and not yet completed. */
    int pendingRequests();

    /** A node that is down shows nothing. */
    NodeView DOWN = new NodeView() {
        @Override
        public String role() {
            return "Unknown";
        }

        @Override
        public String disk() {
            return "Diskless";
        }

        @Override
        public String connection(int peer) {
            return "StandAlone";
        }

        @Override
        public String replication(int peer) {
            return "Off";
        }

        @Override
        public String peerDisk(int peer) {
            return "DUnknown";
        }

        @Override
        public int pendingRequests() {
            return 0;
        }
    };
}
