package io.passerelle.keys;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import org.jspecify.annotations.Nullable;

/**
 * One immutable view of the {@link KeyRing}: built once per change of the table, then only filtered.
 *
 * @param all        ACTIVE keys private, NEXT and RETIRED keys public: what any selection naming a kid
 *                   or no algorithm sees
 * @param active     ACTIVE keys only, private: what a selection choosing a key by algorithm sees
 * @param published  {@code all} without private parts
 * @param encryption the ACTIVE encryption key, public, or null
 * @param decryption NEXT, ACTIVE and RETIRED encryption keys, private
 * @param versions   kid, state and version of every row read, revoked ones included, to tell whether a
 *                   reload changes anything
 */
record KeySnapshot(JWKSet all, JWKSet active, JWKSet published, @Nullable JWK encryption,
                   List<JWK> decryption, Map<KeyAlgorithm, String> activeKids, List<KeyVersion> versions) {

    static KeySnapshot of(List<OpenKey> keys, List<KeyVersion> versions) {
        // ACTIVE first, then NEXT, then RETIRED: a naive client that takes the first key gets a live one.
        List<OpenKey> ordered = keys.stream()
                .sorted(Comparator.comparing((OpenKey k) -> k.row().state())
                        .thenComparing(k -> k.row().algorithm()))
                .toList();
        List<JWK> all = new ArrayList<>();
        List<JWK> active = new ArrayList<>();
        List<JWK> decryption = new ArrayList<>();
        Map<KeyAlgorithm, String> activeKids = new EnumMap<>(KeyAlgorithm.class);
        JWK encryption = null;
        for (OpenKey key : ordered) {
            StoredKey row = key.row();
            boolean isActive = row.state() == KeyState.ACTIVE;
            all.add(isActive ? key.privateJwk() : key.privateJwk().toPublicJWK());
            if (isActive) {
                // The unique index on active_alg prevents this; checked again because two active keys for
                // one algorithm would make every signer refuse to sign.
                if (activeKids.putIfAbsent(row.algorithm(), row.kid()) != null) {
                    throw new KeyRingStartupException("Two active " + row.algorithm().id() + " keys: "
                            + activeKids.get(row.algorithm()) + " and " + row.kid());
                }
                active.add(key.privateJwk());
            }
            if (row.algorithm().use() == KeyUse.ENCRYPTION) {
                // Every published enc key: revoked rows never reach this loop.
                decryption.add(key.privateJwk());
                if (isActive) {
                    encryption = key.privateJwk().toPublicJWK();
                }
            }
        }
        JWKSet allSet = new JWKSet(all);
        return new KeySnapshot(allSet, new JWKSet(active), allSet.toPublicJWKSet(), encryption,
                List.copyOf(decryption), Collections.unmodifiableMap(activeKids), List.copyOf(versions));
    }

    /** The kids of every key in the snapshot (published or signing). */
    Set<String> kids() {
        return all.getKeys().stream().map(JWK::getKeyID).collect(Collectors.toSet());
    }

    /**
     * This snapshot without the keys outside {@code live}; itself when there are none. The versions stay
     * those read: the next reload still sees a change and builds the full snapshot.
     */
    KeySnapshot keeping(Set<String> live) {
        if (live.containsAll(kids())) {
            return this;
        }
        Map<KeyAlgorithm, String> kept = new EnumMap<>(KeyAlgorithm.class);
        activeKids.forEach((algorithm, kid) -> {
            if (live.contains(kid)) {
                kept.put(algorithm, kid);
            }
        });
        JWKSet keptAll = new JWKSet(only(all.getKeys(), live));
        return new KeySnapshot(keptAll, new JWKSet(only(active.getKeys(), live)), keptAll.toPublicJWKSet(),
                encryption != null && live.contains(encryption.getKeyID()) ? encryption : null,
                only(decryption, live), Collections.unmodifiableMap(kept), versions);
    }

    private static List<JWK> only(List<JWK> keys, Set<String> live) {
        return keys.stream().filter(key -> live.contains(key.getKeyID())).toList();
    }

    Set<KeyAlgorithm> missingActive() {
        Set<KeyAlgorithm> missing = EnumSet.allOf(KeyAlgorithm.class);
        missing.removeAll(activeKids.keySet());
        return missing;
    }

    String describe() {
        return activeKids.entrySet().stream()
                .map(entry -> entry.getKey().id() + " " + entry.getValue())
                .collect(Collectors.joining(", ", "active [", "], "))
                + (all.size() - activeKids.size()) + " next or retired";
    }

    /** A row and its decrypted private JWK. */
    record OpenKey(StoredKey row, JWK privateJwk) {
    }
}
