package dev.eventstore.console;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;

import java.util.Optional;
import java.util.Set;

/** Applies {@link CsrfCheck} to every request that may change something: 403 with a JSON body when refused. */
@Provider
public class CsrfFilter implements ContainerRequestFilter {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");
    private static final System.Logger LOG = System.getLogger(CsrfFilter.class.getName());

    @Override
    public void filter(ContainerRequestContext request) {
        if (SAFE.contains(request.getMethod())) {
            return;
        }
        Optional<String> refusal = CsrfCheck.refusal(request.getUriInfo().getRequestUri(),
                request.getHeaderString(CsrfCheck.HEADER), request.getHeaderString("Origin"),
                request.getHeaderString("Sec-Fetch-Site"));
        if (refusal.isPresent()) {
            String user = request.getSecurityContext().getUserPrincipal() == null ? "(anonymous)"
                    : request.getSecurityContext().getUserPrincipal().getName();
            LOG.log(System.Logger.Level.WARNING, "Console: refused " + request.getMethod() + " "
                    + request.getUriInfo().getPath() + " by " + user + ": " + refusal.get());
            request.abortWith(ErrorMappers.answer(403, "csrf", refusal.get()));
        }
    }
}
