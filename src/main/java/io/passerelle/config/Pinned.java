package io.passerelle.config;

import jakarta.servlet.Filter;

/**
 * A value an operator's files define (the portals, the connectors), replaced as a whole when the files
 * change, and pinned per request: between {@link #pin()} and its close, this thread sees the value as it
 * was when the request began, whatever a reload does meanwhile, so that a chooser built from one version
 * of the files never starts a login with the next.
 */
public final class Pinned<T> {

    private volatile T current;
    private final ThreadLocal<T> pinned = new ThreadLocal<>();

    public Pinned(T initial) {
        this.current = initial;
    }

    /** From now on, {@code next}; requests in progress keep what they pinned. */
    public void replace(T next) {
        current = next;
    }

    /** What this thread sees: its pinned value inside a request, else the current one. */
    public T get() {
        T request = pinned.get();
        return request != null ? request : current;
    }

    /** The value as it is now, pinned or not (for the reload that compares against it). */
    public T latest() {
        return current;
    }

    /** Until closed, this thread's {@link #get()} is the value as it is now. A nested pin keeps the outer one. */
    public Pin pin() {
        if (pinned.get() != null) {
            return () -> { };
        }
        pinned.set(current);
        return pinned::remove;
    }

    /** A filter that holds a pin ({@code pin}, e.g. a registry's) for each whole request. */
    public static Filter perRequest(java.util.function.Supplier<Pin> pin) {
        return (request, response, chain) -> {
            try (Pin held = pin.get()) {
                chain.doFilter(request, response);
            }
        };
    }

    /** Ends a {@link #pin()}. */
    public interface Pin extends AutoCloseable {
        @Override
        void close();
    }
}
