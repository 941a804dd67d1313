package io.passerelle.connector.eid;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Revocation answers per certificate (issuer key hash + serial), kept until their nextUpdate. Bounded: the
 * least recently used entry goes when full, so a flood of distinct certificates cannot exhaust memory.
 */
final class RevocationCache {

    /** A definitive answer and until when it may be reused. */
    record Entry(RevocationStatus status, Instant until, String source) {
    }

    private final Map<String, Entry> entries;

    RevocationCache(int maxEntries) {
        this.entries = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, RevocationCache.Entry> eldest) {
                return size() > maxEntries;
            }
        };
    }

    synchronized Entry find(String key, Instant now) {
        Entry entry = entries.get(key);
        if (entry != null && !now.isBefore(entry.until())) {
            entries.remove(key);
            return null;
        }
        return entry;
    }

    synchronized void put(String key, Entry entry) {
        entries.put(key, entry);
    }

    synchronized int size() {
        return entries.size();
    }
}
