package io.passerelle.keys;

/** No key with this kid exists (never did, or it was removed at the end of its life). */
public final class UnknownKeyException extends RuntimeException {

    public UnknownKeyException(String kid) {
        super("No key with kid '" + kid + "'");
    }
}
