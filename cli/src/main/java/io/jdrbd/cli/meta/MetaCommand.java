package io.jdrbd.cli.meta;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code jdrbd meta}: drbdmeta's syntax and formats on v09 meta-data. */
@Command(name = "meta", description = {
    "Create, inspect and change DRBD v09 meta-data, with drbdmeta's arguments and formats:",
    "  jdrbd meta [--force] DEVICE v09 META_DEV internal|flex-internal|flex-external|INDEX COMMAND [ARGS]",
    "Commands: create-md [--max-peers N | N] [--al-stripes S] [--al-stripe-size-kB K] [--peer-max-bio-size B],",
    "  dump-md, restore-md FILE, get-gi/show-gi --node-id N, set-gi --node-id N GI, dstate, apply-al,",
    "  wipe-md, outdate, check-resize. Regular files need --force, as with drbdmeta.",
})
public final class MetaCommand implements Callable<Integer> {

    @Unmatched
    List<String> arguments = new ArrayList<>();

    @Override
    public Integer call() {
        return new MetaTool(System.out, System.err).run(arguments);
    }
}
