package io.passerelle.connector;

import java.util.List;

/**
 * A connector's removal (its file deleted, or {@code enabled: false}) refused through the admin API: portals'
 * {@code allowed_keys} still name it, so nothing was deleted or written.
 */
public final class ConnectorInUseException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<String> users;

    ConnectorInUseException(String id, List<String> users) {
        super("connector " + id + " is still named by " + String.join("; ", users));
        this.users = List.copyOf(users);
    }

    /** The portals naming the connector, each with its file and field. */
    public List<String> users() {
        return users;
    }
}
