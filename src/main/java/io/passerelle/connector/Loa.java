package io.passerelle.connector;

import java.util.Locale;

/**
 * eIDAS levels of assurance, in increasing order: the declaration order is the ordering used by
 * {@link #satisfies(Loa)}, so do not reorder the constants.
 */
public enum Loa {
    LOW,
    SUBSTANTIAL,
    HIGH;

    private static final String URI_PREFIX = "http://eidas.europa.eu/LoA/";

    /** The eIDAS URI, for example {@code http://eidas.europa.eu/LoA/substantial}, used as {@code acr}. */
    public String uri() {
        return URI_PREFIX + configName();
    }

    /** The lower-case name used in configuration files ({@code low}, {@code substantial}, {@code high}). */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True when this level is at least as strong as {@code required}. */
    public boolean satisfies(Loa required) {
        return compareTo(required) >= 0;
    }

    /**
     * Parses {@code low}, {@code substantial} or {@code high} (case-insensitive).
     *
     * @throws IllegalArgumentException for any other value
     */
    public static Loa fromName(String name) {
        if (name != null) {
            for (Loa loa : values()) {
                if (loa.name().equalsIgnoreCase(name.trim())) {
                    return loa;
                }
            }
        }
        throw new IllegalArgumentException("unknown level of assurance '" + name + "' (expected low, substantial or high)");
    }

    /**
     * Parses an eIDAS LoA URI. The comparison is exact because {@code acr} values are compared as
     * strings by relying parties too.
     *
     * @throws IllegalArgumentException for any other value
     */
    public static Loa fromUri(String uri) {
        for (Loa loa : values()) {
            if (loa.uri().equals(uri)) {
                return loa;
            }
        }
        throw new IllegalArgumentException("unknown eIDAS level of assurance URI '" + uri + "'");
    }
}
