package io.passerelle.keys;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AES-256 key that encrypts the key ring's private keys at rest. A sealed value is
 * {@code base64(IV || ciphertext || tag)}: AES-GCM with a fresh random 96-bit IV per encryption and a
 * 128-bit tag, and associated data (the kid, for the key ring) that must be presented again to decrypt.
 */
public final class MasterKey {

    static final int KEY_BYTES = 32;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Logger log = LoggerFactory.getLogger(MasterKey.class);

    private final SecretKey key;
    private final String source;

    /**
     * @param keyBytes exactly 32 bytes
     * @param source   where the key came from, for error messages ("property ...", "file ...")
     */
    public MasterKey(byte[] keyBytes, String source) {
        if (keyBytes.length != KEY_BYTES) {
            throw new IllegalArgumentException("A master key is " + KEY_BYTES + " bytes, not " + keyBytes.length);
        }
        this.key = new SecretKeySpec(keyBytes, "AES");
        this.source = source;
    }

    /**
     * Finds the master key, in this order:
     * <ol>
     * <li>{@code passerelle.keys.master-key} set: it is the key (base64 of 32 bytes, else start-up fails
     *     naming the property); the file is ignored.</li>
     * <li>The master key file exists: it is read (same validation, naming the file).</li>
     * <li>No file and an empty key table: a first start in development. 32 random bytes are written to a
     *     new file (parent folders created, mode 0600 where the file system has POSIX permissions) and a
     *     WARN says where.</li>
     * <li>No file but keys exist: start-up fails. A new master key could not decrypt them, and creating
     *     one silently would only hide that the configured key went missing.</li>
     * </ol>
     */
    public static MasterKey load(KeyProperties properties, KeyRepository repository) {
        String configured = properties.masterKey();
        if (configured != null) {
            // Blank is not "unset": an empty PASSERELLE_KEYS_MASTER_KEY is a broken deployment, and falling
            // back to a file could create a fresh key next to production data.
            String property = KeyProperties.MASTER_KEY_PROPERTY;
            return new MasterKey(decode(configured, property), "property " + property);
        }
        Path file = properties.masterKeyFile().toAbsolutePath().normalize();
        if (Files.exists(file)) {
            return fromFile(file);
        }
        if (!repository.isEmpty()) {
            throw new KeyRingStartupException("The master key file " + file + " does not exist, but the key table"
                    + " already holds keys encrypted with a master key. Restore that file or set "
                    + KeyProperties.MASTER_KEY_PROPERTY + " (env PASSERELLE_KEYS_MASTER_KEY) to the master key the"
                    + " keys were created with; a new master key is never created while keys exist.");
        }
        return createFile(file);
    }

    /** Seals {@code plaintext} so that only this key, presented with the same associated data, opens it. */
    public String encrypt(byte[] plaintext, byte[] associatedData) {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(associatedData);
            byte[] sealed = cipher.doFinal(plaintext);
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(IV_BYTES + sealed.length)
                    .put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /**
     * Opens a value sealed by {@link #encrypt}.
     *
     * @throws AEADBadTagException when it does not authenticate: another master key, other associated data,
     *         or an altered or malformed value. The cases are indistinguishable by design of GCM.
     */
    public byte[] decrypt(String sealed, byte[] associatedData) throws AEADBadTagException {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(sealed);
        } catch (IllegalArgumentException e) {
            throw new AEADBadTagException("Sealed value is not base64");
        }
        if (bytes.length < IV_BYTES + TAG_BITS / 8) {
            throw new AEADBadTagException("Sealed value is too short");
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, IV_BYTES));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(bytes, IV_BYTES, bytes.length - IV_BYTES);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /** Where this key came from ("property passerelle.keys.master-key", "file /srv/data/master.key"). */
    /**
     * A key for another purpose derived from this one (HMAC-SHA256 of the label, as in HKDF-Expand with a
     * single block): components that need a stable secret (e.g. identity linking) get one without a second
     * secret to manage, and different labels give unrelated keys.
     */
    public byte[] derive(String label) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            return mac.doFinal(("passerelle/" + label).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every Java platform", e);
        }
    }

    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "MasterKey[from " + source + "]";
    }

    private static MasterKey fromFile(Path file) {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new KeyRingStartupException("Cannot read the master key file " + file + ": " + e.getMessage(), e);
        }
        return new MasterKey(decode(content, "master key file " + file), "file " + file);
    }

    private static MasterKey createFile(Path file) {
        byte[] keyBytes = new byte[KEY_BYTES];
        RANDOM.nextBytes(keyBytes);
        try {
            Path parent = file.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            // Created with its final permissions (no window in which it is world-readable) and only if
            // absent: a second process starting at the same moment reads the first one's key instead.
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
            Files.writeString(file, Base64.getEncoder().encodeToString(keyBytes) + "\n", StandardCharsets.US_ASCII);
        } catch (FileAlreadyExistsException e) {
            return fromFile(file);
        } catch (IOException e) {
            throw new KeyRingStartupException("Cannot create the master key file " + file + ": " + e.getMessage()
                    + ". Set " + KeyProperties.MASTER_KEY_PROPERTY + " (env PASSERELLE_KEYS_MASTER_KEY) or make the"
                    + " folder writable.", e);
        }
        log.warn("Created a development master key in {}. It encrypts the signing keys at rest: whoever reads it"
                + " can read them, and losing it loses them. In production set PASSERELLE_KEYS_MASTER_KEY from a"
                + " secret store instead.", file);
        MasterKey created = new MasterKey(keyBytes, "file " + file);
        Arrays.fill(keyBytes, (byte) 0);
        return created;
    }

    /** Decodes base64 of exactly 32 bytes; errors name {@code what} and never echo the value. */
    private static byte[] decode(String base64, String what) {
        String trimmed = base64.strip();
        if (trimmed.isEmpty()) {
            throw new KeyRingStartupException(what + " is empty: it must be base64 of " + KEY_BYTES
                    + " random bytes (e.g. `openssl rand -base64 32`).");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(trimmed);
        } catch (IllegalArgumentException e) {
            throw new KeyRingStartupException(what + " is not valid base64: it must be base64 of " + KEY_BYTES
                    + " random bytes (e.g. `openssl rand -base64 32`).");
        }
        if (bytes.length != KEY_BYTES) {
            throw new KeyRingStartupException(what + " decodes to " + bytes.length + " bytes; an AES-256 master key"
                    + " is exactly " + KEY_BYTES + " bytes (e.g. `openssl rand -base64 32`).");
        }
        return bytes;
    }
}
