package io.jdrbd.cli.adm;

import io.jdrbd.node.config.DrbdConfig;
import io.jdrbd.node.config.DumpWriter;
import io.jdrbd.node.config.Resource;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code jdrbd adm dump [RES...]}: the configuration as drbdadm dump prints it; all resources (with
 * the file header, global and common sections) or the named ones (each must run on this host).
 */
@Command(name = "dump", mixinStandardHelpOptions = true,
        description = "Print the normalized configuration, exactly as 'drbdadm dump' does.")
final class DumpCommand implements Callable<Integer> {

    @ParentCommand
    AdmCommand adm;

    @Parameters(paramLabel = "RES", arity = "0..*", description = "Resources to dump (default: all).")
    List<String> resources = List.of();

    @Override
    public Integer call() {
        DrbdConfig config = adm.loadConfig(System.err);
        if (config == null) {
            return AdmCommand.EXIT_CONFIG_INVALID;
        }
        StringBuilder text = new StringBuilder();
        if (resources.isEmpty() || resources.equals(List.of("all"))) {
            // like drbdadm: every resource this host runs must have its address here (not checked in a dry run)
            boolean addressesMissing = false;
            for (Resource resource : config.resources()) {
                Optional<String> problem = adm.dryRun() ? Optional.empty() : config.addressNotOnThisHost(resource);
                problem.ifPresent(System.err::println);
                addressesMissing |= problem.isPresent();
            }
            if (addressesMissing) {
                return AdmCommand.EXIT_CONFIG_INVALID;
            }
            text.append(DumpWriter.dumpAll(config));
        } else {
            for (String name : resources) {
                Optional<Resource> resource = config.resource(name);
                if (resource.isEmpty() || config.me(resource.get()).isEmpty()) {
                    System.err.println("'" + name + "' not defined in your config (for this host).");
                    return AdmCommand.EXIT_USAGE;
                }
                // a resource named explicitly is dumped even when its address is not here, with the warning
                config.addressNotOnThisHost(resource.get()).ifPresent(System.err::println);
                text.append(DumpWriter.dumpResource(config, resource.get()));
            }
        }
        // the configuration was read as ISO-8859-1, byte for byte: write it back the same way
        System.out.write(text.toString().getBytes(StandardCharsets.ISO_8859_1), 0, text.length());
        System.out.flush();
        return 0;
    }
}
