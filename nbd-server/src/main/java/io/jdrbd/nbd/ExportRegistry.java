package io.jdrbd.nbd;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The exports a server offers, by name, changeable while it runs. The empty name (the NBD
 * default export) resolves to the configured default export, if any; {@code NBD_OPT_LIST} shows
 * the real names in name order.
 */
public final class ExportRegistry {
    private final ConcurrentSkipListMap<String, NbdExport> exports = new ConcurrentSkipListMap<>();
    private volatile String defaultExportName;

    /** Adds an export; fails if its name is taken. */
    public void add(NbdExport export) {
        Objects.requireNonNull(export, "export");
        if (exports.putIfAbsent(export.name(), export) != null) {
            throw new IllegalArgumentException("export '" + export.name() + "' already exists");
        }
    }

    /** Removes an export from the registry (sessions already open keep running until closed). */
    public Optional<NbdExport> remove(String name) {
        return Optional.ofNullable(exports.remove(name));
    }

    /** Makes {@code ""} an alias of {@code name} ({@code null}: no default export). */
    public void setDefaultExportName(String name) {
        defaultExportName = name;
    }

    public Optional<String> defaultExportName() {
        return Optional.ofNullable(defaultExportName);
    }

    /** The export a client's name refers to: exact name first, then "" as the default alias. */
    public Optional<NbdExport> resolve(String requestedName) {
        NbdExport exact = exports.get(requestedName);
        if (exact != null) {
            return Optional.of(exact);
        }
        String fallback = defaultExportName;
        if (requestedName.isEmpty() && fallback != null) {
            return Optional.ofNullable(exports.get(fallback));
        }
        return Optional.empty();
    }

    public List<NbdExport> list() {
        return new ArrayList<>(exports.values());
    }
}
