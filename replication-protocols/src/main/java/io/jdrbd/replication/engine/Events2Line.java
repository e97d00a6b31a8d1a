package io.jdrbd.replication.engine;

import java.util.Objects;

/**
 * One line of {@code drbdsetup events2} without the optional timestamp, e.g.
 * {@code change peer-device name:r0 peer-node-id:1 conn-name:bob volume:0 replication:Established}.
 *
 * @param action {@code exists}, {@code create}, {@code change}, {@code destroy}, ...
 * @param object which kind of object the line is about
 * @param text the whole line, byte for byte as drbdsetup prints it
 */
public record Events2Line(String action, ObjectType object, String text) {

    /** The events2 object words. */
    public enum ObjectType {
        RESOURCE("resource"), CONNECTION("connection"), DEVICE("device"), PEER_DEVICE("peer-device"),
        PATH("path"), HELPER("helper");

        private final String word;

        ObjectType(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    public Events2Line {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(object, "object");
        if (!text.startsWith(action + " " + object.word() + " ")) {
            throw new IllegalArgumentException("events2 line must start with '" + action + " " + object.word()
                    + "': " + text);
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
