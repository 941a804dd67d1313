package io.passerelle.identity;

import java.util.Map;

/**
 * Types that moved package while values of them were already stored: a citizen's sign-in is kept in
 * browser sessions (Java serialization, Spring Session) and inside authorizations (JSON with its class
 * name), for hours. Readers of those stores map a former name to the current one, so a sign-in written
 * before an upgrade is still read after it. An entry may go once every value written under its former
 * name has expired: after the longest of the session timeout and the refresh-token lifetime.
 */
public final class FormerTypeNames {

    /** Former fully qualified name to current one. */
    public static final Map<String, String> CURRENT = Map.of(
            // moved from the broker to identity (issue 12: no package cycle), December 2026
            "io.passerelle.broker.CitizenAuthentication", CitizenAuthentication.class.getName());

    private FormerTypeNames() {
    }

    /** The current name of a stored type name (itself when it did not move). */
    public static String current(String storedName) {
        return CURRENT.getOrDefault(storedName, storedName);
    }
}
