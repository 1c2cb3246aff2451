package dev.eventstore.console;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * Refuses state-changing requests that a page of another site could have sent with the user's credentials (HTTP
 * Basic credentials go along with any request a browser makes to the console's host):
 * <ol>
 *   <li>the request must carry {@value #HEADER}: a page of another origin cannot add a custom header without a CORS
 *       preflight, which the console never answers, and an HTML form cannot add one at all;</li>
 *   <li>a browser's {@code Sec-Fetch-Site}, when sent, must be {@code same-origin} (or {@code none}: typed by the
 *       user);</li>
 *   <li>an {@code Origin}, when sent, must be the console's own scheme, host and port.</li>
 * </ol>
 * Scripts and tools (curl) send the header and no {@code Origin}.
 */
final class CsrfCheck {

    static final String HEADER = "X-Requested-By";

    private CsrfCheck() {
    }

    /**
     * @param requestUri    the URI the request was made to, for its origin
     * @param requestedBy   the {@value #HEADER} header, null when absent
     * @param origin        the {@code Origin} header, null when absent
     * @param fetchSite     the {@code Sec-Fetch-Site} header, null when absent
     * @return why the request is refused; empty when it may go on
     */
    static Optional<String> refusal(URI requestUri, String requestedBy, String origin, String fetchSite) {
        if (requestedBy == null || requestedBy.isBlank()) {
            return Optional.of("Actions need the header " + HEADER + " (any value, for example"
                    + " 'eventstore-console'): it protects them against cross-site request forgery");
        }
        if (fetchSite != null && !fetchSite.equalsIgnoreCase("same-origin") && !fetchSite.equalsIgnoreCase("none")) {
            return Optional.of("Actions must come from the console's own pages (Sec-Fetch-Site was " + fetchSite
                    + ")");
        }
        if (origin != null && !origin.equalsIgnoreCase("null") && !sameOrigin(requestUri, origin)) {
            return Optional.of("Actions must come from the console's own origin " + origin(requestUri)
                    + ", not " + origin);
        }
        if (origin != null && origin.equalsIgnoreCase("null")) {
            return Optional.of("Actions must come from the console's own origin, not an opaque one (Origin: null)");
        }
        return Optional.empty();
    }

    private static boolean sameOrigin(URI requestUri, String origin) {
        try {
            return origin(URI.create(origin.strip())).equals(origin(requestUri));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String origin(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        return scheme + "://" + host + ":" + port;
    }
}
