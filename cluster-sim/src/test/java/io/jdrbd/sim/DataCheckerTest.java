package io.jdrbd.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataCheckerTest {
    private final History history = new History(16);
    private final Map<Long, Long> replica = new HashMap<>();
    private final DataChecker.BlockSource source = block -> replica.getOrDefault(block, BlockTag.ZERO);
    private long sequence;

    private History.Write ackedWrite(long block) {
        History.Write write = history.invokeWrite(BlockTag.tag(0, ++sequence), 0, block, 1, 0);
        history.complete(write, true, 0);
        return write;
    }

    @Test
    void aReplicaHoldingEveryAcknowledgedWriteIsValid() {
        History.Write first = ackedWrite(0);
        History.Write second = ackedWrite(0);
        History.Write third = ackedWrite(1);
        replica.put(0L, second.tag());
        replica.put(1L, third.tag());
        assertThat(DataChecker.noAcknowledgedWriteLost(history, source, "n1")).isEmpty();
        assertThat(DataChecker.prefixOfWrites(history, source, "n1")).isEmpty();
        assertThat(DataChecker.nothingInvented(history, source, "n1")).isEmpty();
        assertThat(first.acknowledged()).isTrue();
    }

    @Test
    void anOverwrittenAcknowledgedWriteIsReportedLost() {
        History.Write first = ackedWrite(0);
        ackedWrite(0);
        replica.put(0L, first.tag());
        assertThat(DataChecker.noAcknowledgedWriteLost(history, source, "n1")).singleElement()
                .asString().contains("lost");
    }

    @Test
    void aMissingEarlierWriteBehindAPresentLaterOneIsNotAPrefix() {
        ackedWrite(0);
        History.Write later = ackedWrite(1);
        replica.put(1L, later.tag());
        assertThat(DataChecker.prefixOfWrites(history, source, "n1")).singleElement()
                .asString().contains("not a prefix");
    }

    @Test
    void anOlderPrefixIsValidForProtocolA() {
        History.Write first = ackedWrite(0);
        ackedWrite(1);
        replica.put(0L, first.tag());
        assertThat(DataChecker.prefixOfWrites(history, source, "n1")).isEmpty();
        assertThat(DataChecker.noAcknowledgedWriteLost(history, source, "n1")).isNotEmpty();
    }

    @Test
    void concurrentWritesMayLandInAnyOrder() {
        History.Write a = history.invokeWrite(BlockTag.tag(0, 1), 0, 0, 1, 0);
        History.Write b = history.invokeWrite(BlockTag.tag(0, 2), 0, 1, 1, 0);
        history.complete(a, true, 0);
        history.complete(b, true, 0);
        replica.put(1L, b.tag());
        assertThat(DataChecker.prefixOfWrites(history, source, "n1")).isEmpty();
    }

    @Test
    void dataNobodyWroteIsInvented() {
        replica.put(3L, BlockTag.tag(9, 9));
        History.Write write = ackedWrite(0);
        replica.put(5L, write.tag());
        replica.put(6L, BlockTag.DAMAGED);
        assertThat(DataChecker.nothingInvented(history, source, "n1")).hasSize(3);
    }

    @Test
    void aReadThatMissesAnAcknowledgedWriteIsStale() {
        History.Write first = ackedWrite(0);
        ackedWrite(0);
        long invoked = history.invokeRead();
        history.completeRead(0, 0, invoked, first.tag(), true);
        assertThat(DataChecker.readsSawCurrentData(history)).singleElement().asString().contains("after");
    }
}
