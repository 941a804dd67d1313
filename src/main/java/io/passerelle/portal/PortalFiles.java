package io.passerelle.portal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Whether this node has a file for a portal. A portal's file is named after its client_id (the loader
 * refuses any other name), so the check needs no parsing: a file that does not even load still counts,
 * since the operator meant to keep the portal.
 */
public final class PortalFiles {

    /**
     * The client ids {@code portals remove} accepts: what the database may hold (varchar 100), without a
     * path separator or a leading dot, so an id can never name a file outside the folders.
     */
    public static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}");

    private PortalFiles() {
    }

    public static boolean present(List<Path> clientFolders, String clientId) {
        if (!CLIENT_ID.matcher(clientId).matches()) {
            throw new IllegalArgumentException("not a client_id: " + clientId);
        }
        return clientFolders.stream().anyMatch(folder -> names(folder).anyMatch(name -> name.equals(clientId + ".yml")
                || name.equals(clientId + ".yaml")));
    }

    /** File names with the extension in lower case: the loader reads city.YML as well as city.yml. */
    private static Stream<String> names(Path folder) {
        if (!Files.isDirectory(folder)) {
            return Stream.empty();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString())
                    .map(name -> name.contains(".") ? name.substring(0, name.lastIndexOf('.'))
                            + name.substring(name.lastIndexOf('.')).toLowerCase(Locale.ROOT) : name)
                    .toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }
}
