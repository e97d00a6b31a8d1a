package io.jdrbd.node.config;

/**
 * The option sections a resource (or {@code common}) can have.
 *
 * @param options the resource options ({@code options { }})
 * @param net {@code net { }} (with a resource-level {@code protocol})
 * @param disk local-disk options of {@code disk { }}
 * @param peerDevice peer-device options written in {@code disk { }} (resync-rate, c-*, bitmap)
 * @param startup {@code startup { }}
 * @param stackedTimeouts {@code stacked-timeouts;} in the startup section
 * @param proxy {@code proxy { }} options
 * @param proxyPlugins the lines of the proxy section's {@code plugin { }}
 * @param handlers {@code handlers { }}
 */
public record Sections(OptionList options, OptionList net, OptionList disk, OptionList peerDevice,
                       OptionList startup, boolean stackedTimeouts, OptionList proxy, OptionList proxyPlugins,
                       OptionList handlers) {

    public static final Sections EMPTY = new Sections(OptionList.EMPTY, OptionList.EMPTY, OptionList.EMPTY,
            OptionList.EMPTY, OptionList.EMPTY, false, OptionList.EMPTY, OptionList.EMPTY, OptionList.EMPTY);
}
