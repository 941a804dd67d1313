package io.passerelle.keys;

/**
 * The key ring cannot be opened or completed: a missing or malformed master key, a master key that does
 * not decrypt the stored keys, a damaged row. The message says what is wrong and what to set; it never
 * contains key material. Nothing in the database has been changed when this is thrown.
 */
public final class KeyRingStartupException extends RuntimeException {

    public KeyRingStartupException(String message) {
        super(message);
    }

    public KeyRingStartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
