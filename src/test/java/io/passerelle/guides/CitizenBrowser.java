package io.passerelle.guides;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.web.util.HtmlUtils;

/**
 * A citizen's browser for the guides' tests: a cookie jar, redirects followed one by one (every address
 * visited is kept, so a test can check what the portal sent to Passerelle), and forms submitted the way a
 * browser does: the form's hidden inputs, its ticked checkboxes and the pressed button's name and value.
 * No JavaScript: Passerelle's pages and the guide portals need none.
 */
final class CitizenBrowser {

    /** A page the browser stopped at (not a redirect), and the addresses it went through to get there. */
    record Page(URI uri, int status, String body, List<URI> visited) {
    }

    private static final Pattern FORM = Pattern.compile("<form\\b([^>]*)>(.*?)</form>", Pattern.DOTALL);
    private static final Pattern INPUT = Pattern.compile("<input\\b([^>]*)>");
    private static final Pattern BUTTON = Pattern.compile("<button\\b([^>]*)>");
    private static final Pattern ATTRIBUTE = Pattern.compile("([a-zA-Z_:-]+)(?:=\"([^\"]*)\")?");

    private final HttpClient http = HttpClient.newBuilder()
            .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    /** GET {@code uri} and follow redirects (at most 20) to the page at the end. */
    Page open(URI uri) throws IOException, InterruptedException {
        return follow(send(HttpRequest.newBuilder(uri).GET()), uri, new ArrayList<>(List.of(uri)));
    }

    /** The status of a GET of {@code uri}, redirects not followed (200: a page, 302: sent elsewhere). */
    int status(URI uri) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri).GET()).statusCode();
    }

    /**
     * Submits the form of {@code page} whose action contains {@code action}, pressing the button named
     * {@code button} with {@code value} (none when {@code button} is null); checkboxes that {@code tick}
     * accepts (by value) are sent. Follows the redirects that come back.
     */
    Page submit(Page page, String action, String button, String value, Predicate<String> tick)
            throws IOException, InterruptedException {
        Matcher forms = FORM.matcher(page.body());
        while (forms.find()) {
            Map<String, String> form = attributes(forms.group(1));
            String target = HtmlUtils.htmlUnescape(form.getOrDefault("action", ""));
            if (!target.contains(action)) {
                continue;
            }
            StringBuilder body = new StringBuilder();
            Matcher inputs = INPUT.matcher(forms.group(2));
            while (inputs.find()) {
                Map<String, String> input = attributes(inputs.group(1));
                String type = input.getOrDefault("type", "text");
                boolean sent = type.equals("hidden")
                        || type.equals("checkbox") && input.containsKey("checked") && tick.test(input.get("value"));
                if (sent && input.containsKey("name")) {
                    add(body, input.get("name"), input.getOrDefault("value", ""));
                }
            }
            if (button != null) {
                Matcher buttons = BUTTON.matcher(forms.group(2));
                boolean found = false;
                while (buttons.find() && !found) {
                    Map<String, String> b = attributes(buttons.group(1));
                    found = button.equals(b.get("name")) && value.equals(b.get("value"));
                }
                if (!found) {
                    throw new AssertionError("no button " + button + "=" + value + " in the form " + target);
                }
                add(body, button, value);
            }
            URI uri = page.uri().resolve(target);
            List<URI> visited = new ArrayList<>(page.visited());
            visited.add(uri);
            return follow(send(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString()))), uri, visited);
        }
        throw new AssertionError("no form posting to " + action + " on " + page.uri() + ":\n" + page.body());
    }

    private Page follow(HttpResponse<String> response, URI uri, List<URI> visited) throws IOException, InterruptedException {
        for (int hops = 0; hops < 20; hops++) {
            var location = response.headers().firstValue("Location");
            if (response.statusCode() / 100 != 3 || location.isEmpty()) {
                return new Page(uri, response.statusCode(), response.body(), List.copyOf(visited));
            }
            uri = uri.resolve(location.get());
            visited.add(uri);
            response = send(HttpRequest.newBuilder(uri).GET());
        }
        throw new AssertionError("more than 20 redirects: " + visited);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.header("Accept", "text/html").header("Accept-Language", "en")
                .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> attributes(String tag) {
        Map<String, String> attributes = new java.util.HashMap<>();
        Matcher m = ATTRIBUTE.matcher(tag);
        while (m.find()) {
            attributes.put(m.group(1).toLowerCase(java.util.Locale.ROOT),
                    m.group(2) == null ? "" : HtmlUtils.htmlUnescape(m.group(2)));
        }
        return attributes;
    }

    private static void add(StringBuilder body, String name, String value) {
        if (!body.isEmpty()) {
            body.append('&');
        }
        body.append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
}
