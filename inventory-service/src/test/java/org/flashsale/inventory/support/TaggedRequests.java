package org.flashsale.inventory.support;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * In every {@code @QuarkusTest} (test sources only): counts the requests that reach a resource carrying
 * {@code X-Test-Tag}, per tag, so a test can tell how much work the server did for a connection it wrote.
 */
public class TaggedRequests {

    public static final String HEADER = "X-Test-Tag";
    private static final Map<String, AtomicInteger> SEEN = new ConcurrentHashMap<>();

    @ServerRequestFilter
    public void count(ContainerRequestContext request) {
        String tag = request.getHeaderString(HEADER);
        if (tag != null) {
            SEEN.computeIfAbsent(tag, key -> new AtomicInteger()).incrementAndGet();
        }
    }

    /** How many requests tagged {@code tag} reached a resource so far. */
    public static int seen(String tag) {
        AtomicInteger count = SEEN.get(tag);
        return count == null ? 0 : count.get();
    }
}
