package io.jdrbd.node.config;

import io.jdrbd.node.config.Drafts.ResourceDraft;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A parsed drbd.conf: global options, the common section, and the resources, checked the way
 * drbdadm checks them. {@link #forHost} selects what one host runs.
 *
 * @param file the file name as given, as drbdadm shows it in messages and dumps
 * @param canonicalFile the absolute, resolved file name (drbdadm's dump header shows this)
 * @param common the common section, if the file has one
 * @param hostname the host name the checks that depend on "this host" used
 * @param warnings what drbdadm would warn about (and let pass), one line each, with the location
 */
public record DrbdConfig(String file, String canonicalFile, GlobalOptions global, Optional<Sections> common,
                         List<Resource> resources, List<String> moduleVersionRequirements, String hostname,
                         List<String> warnings) {

    public DrbdConfig {
        resources = List.copyOf(resources);
        moduleVersionRequirements = List.copyOf(moduleVersionRequirements);
        warnings = List.copyOf(warnings);
    }

    /** Parses a file for this machine (its node name decides "this host"). */
    public static DrbdConfig parse(Path file) throws ConfigException {
        return parse(file, HostNames.local());
    }

    /** Parses a file as host {@code hostname} would. */
    public static DrbdConfig parse(Path file, String hostname) throws ConfigException {
        ParseContext context = new ParseContext(hostname);
        ConfigParser parser = new ConfigParser(context);
        String shown = file.toString();
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new ConfigException(new SourceLocation(shown, 0, 0), "Can not open '" + shown + "'.");
        }
        parser.parseFile(file, shown);
        return finish(context, shown, ConfigParser.canonical(file).toString());
    }

    /** Parses text (includes are relative to the current directory), naming it {@code shownName}. */
    public static DrbdConfig parse(String text, String shownName, String hostname) throws ConfigException {
        ParseContext context = new ParseContext(hostname);
        new ConfigParser(context).parseText(text, shownName, null);
        return finish(context, shownName, shownName);
    }

    private static DrbdConfig finish(ParseContext context, String shown, String canonical) throws ConfigException {
        new PostParse(context).run();
        List<Resource> resources = new ArrayList<>();
        for (ResourceDraft draft : context.resources) {
            resources.add(ModelFreezer.resource(draft));
        }
        Optional<Sections> common = Optional.ofNullable(context.common).map(c -> c.sections.freeze());
        DrbdConfig config = new DrbdConfig(shown, canonical, context.global, common, resources,
                context.moduleVersionRequirements, context.hostname, List.of());
        new HostSelection(config).validate();
        return new HostSelection(new HostSelection(config).withStackedDisks()).withoutUnknownResyncAfter();
    }

    public Optional<Resource> resource(String name) {
        return resources.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /** The host section of {@code resource} that this configuration's host runs, if any. */
    public Optional<Host> me(Resource resource) {
        return new HostSelection(this).me(resource);
    }

    /**
     * drbdadm's check that this host's address for {@code resource} is on one of its interfaces
     * (skipped with {@code disable-ip-verification;}, for stacked resources, and when the resource does
     * not run here): the problem in drbdadm's words, or empty.
     */
    public Optional<String> addressNotOnThisHost(Resource resource) {
        Optional<Host> me = me(resource);
        if (global.disableIpVerification() || me.isEmpty() || me.get().kind() == Host.Kind.STACKED
                || me.get().address() == null || HostSelection.isLocalAddress(me.get().address())) {
            return Optional.empty();
        }
        return Optional.of(resource.definedAt().file() + ": in resource " + resource.name() + ", on "
                + me.get().displayName() + ": IP " + me.get().address().host() + " not found on this host.");
    }

    /**
     * What {@code host} runs: every resource with a host section for it, with effective settings.
     * Fails when an effective value is one drbdadm lets through but the kernel would refuse (a bare
     * {@code ping-timeout;} reads as "yes"), naming the resource.
     */
    public List<LocalResource> forHost(String host) throws ConfigException {
        DrbdConfig asHost = host.equals(hostname) ? this
                : new DrbdConfig(file, canonicalFile, global, common, resources, moduleVersionRequirements, host,
                        warnings);
        return new HostSelection(asHost).localResources();
    }
}
