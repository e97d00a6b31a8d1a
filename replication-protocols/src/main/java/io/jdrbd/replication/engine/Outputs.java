package io.jdrbd.replication.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * The sink an {@link Engine} step appends its {@link EngineOutput}s to. The driver drains it after
 * {@link Engine#handle} returns and carries the outputs out in order. One instance may be reused across
 * steps (drain or clear between them). Not thread-safe: it belongs to the engine's thread.
 */
public final class Outputs {

    private final List<EngineOutput> outputs = new ArrayList<>();

    public void add(EngineOutput output) {
        outputs.add(output);
    }

    public int size() {
        return outputs.size();
    }

    public boolean isEmpty() {
        return outputs.isEmpty();
    }

    public EngineOutput get(int index) {
        return outputs.get(index);
    }

    /** A read-only view in emission order. */
    public List<EngineOutput> view() {
        return Collections.unmodifiableList(outputs);
    }

    /** Hands every output to {@code consumer} in emission order, then empties the sink. */
    public void drainTo(Consumer<? super EngineOutput> consumer) {
        try {
            for (EngineOutput output : outputs) {
                consumer.accept(output);
            }
        } finally {
            outputs.clear();
        }
    }

    /** Empties the sink without handing outputs on (their buffers are then the caller's to release). */
    public void clear() {
        outputs.clear();
    }
}
