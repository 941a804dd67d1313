package io.passerelle.issuer;

import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * A request whose parameters (and, if given, query string) are exactly the ones supplied, whatever the
 * wrapped request carries: for adding a derived parameter before the server reads it, or for serving
 * another request's query in a forward without mixing the two.
 */
public final class ReplacedParametersRequest extends HttpServletRequestWrapper {

    private final Map<String, String[]> parameters;
    private final String queryString;

    /** @param queryString the query string to report, or null to keep the wrapped request's */
    public ReplacedParametersRequest(HttpServletRequest request, Map<String, String[]> parameters, String queryString) {
        super(request);
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        this.queryString = queryString;
    }

    @Override
    public String getParameter(String name) {
        String[] values = parameters.get(name);
        return values == null ? null : values[0];
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        return parameters;
    }

    @Override
    public Enumeration<String> getParameterNames() {
        return Collections.enumeration(parameters.keySet());
    }

    @Override
    public String[] getParameterValues(String name) {
        return parameters.get(name);
    }

    @Override
    public String getQueryString() {
        return queryString != null ? queryString : super.getQueryString();
    }
}
