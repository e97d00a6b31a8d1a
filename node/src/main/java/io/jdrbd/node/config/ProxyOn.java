package io.jdrbd.node.config;

import java.util.List;

/**
 * A {@code proxy on HOST... { inside ADDR; outside ADDR; options { ... } }} section: where the
 * proxy on these hosts listens for its node (inside) and for the other proxy (outside).
 */
public record ProxyOn(List<String> onHosts, Address inside, Address outside, OptionList options,
                      OptionList plugins) {

    public ProxyOn {
        onHosts = List.copyOf(onHosts);
    }
}
