package io.passerelle.keys;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the master key comes from. The master key (AES-256) encrypts every private key of the key ring
 * at rest in the {@code signing_key} table; see {@link MasterKey#load} for the exact loading rules.
 *
 * @param masterKey     {@code passerelle.keys.master-key}: base64 of the 32-byte master key, normally
 *                      from the environment variable PASSERELLE_KEYS_MASTER_KEY (a secret store). When set
 *                      it wins over the file, and the file is neither read nor created.
 * @param masterKeyFile {@code passerelle.keys.master-key-file}: file holding the base64 master key, read
 *                      when {@code master-key} is unset. Created (mode 0600) only on a first start with an
 *                      empty key table, for development; default {@code ./data/master.key}.
 */
@ConfigurationProperties("passerelle.keys")
public record KeyProperties(
        @Nullable String masterKey,
        @DefaultValue("./data/master.key") Path masterKeyFile) {

    public static final String MASTER_KEY_PROPERTY = "passerelle.keys.master-key";

    /** Never prints the master key: records print every component, and this one is a secret. */
    @Override
    public String toString() {
        return "KeyProperties[masterKey=" + (masterKey == null ? "unset" : "******")
                + ", masterKeyFile=" + masterKeyFile + "]";
    }
}
