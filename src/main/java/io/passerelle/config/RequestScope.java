package io.passerelle.config;

import jakarta.servlet.Filter;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.Ordered;

/**
 * A filter that opens and closes what a component remembers for one request only (a thread-local
 * note), registered outermost: the note exists for the whole request, Spring Session's commit
 * included, and never reaches the next request served on the same thread.
 */
public final class RequestScope {

    private RequestScope() {
    }

    public static FilterRegistrationBean<Filter> outermost(String name, Filter scope) {
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(scope);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.setName(name);
        return registration;
    }
}
