package org.flashsale.inventory.queue;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;

/**
 * The published draw's pages (GET …/queue/draw), each computed once and kept as the bytes sent, with its strong
 * ETag. A page never changes once the draw ran (the keys are stored with the draw: V9__published_draw.sql), so a kept
 * page is the page; before the draw a page is computed on every request and not kept, as it will change. The cache is
 * per instance and holds at most {@link #MAX_CACHED_BYTES} of pages, the least recently read going first; as every
 * instance computes the same bytes from the same stored draw, every instance answers with the same ETag.
 */
@ApplicationScoped
public class DrawPages {

    /** About 170 pages of 1,000 places (~95 KB each): every page of a few large draws, or the first pages of many. */
    static final long MAX_CACHED_BYTES = 16L * 1024 * 1024;
    /** What a kept page costs besides its bytes (key, entry, tag), so many tiny pages past the end count too. */
    private static final int ENTRY_OVERHEAD = 256;

    private final QueueService queues;
    private final ObjectMapper json;
    /** In access order (least recently read first); guarded by {@code this}. */
    private final LinkedHashMap<Key, DrawPage> pages = new LinkedHashMap<>(64, 0.75f, true);
    private long cachedBytes;

    public DrawPages(QueueService queues, ObjectMapper json) {
        this.queues = queues;
        this.json = json;
    }

    /** A page as sent: its JSON, its strong ETag (the opaque value, unquoted) and whether the draw ran. */
    public record DrawPage(byte[] json, String etag, boolean drawn) {
    }

    private record Key(UUID productId, int from, int limit) {
    }

    /** The page from position {@code from} on, at most {@code limit} places; PRODUCT_NOT_FOUND for no such product. */
    public Uni<DrawPage> page(UUID productId, int from, int limit) {
        Key key = new Key(productId, from, limit);
        DrawPage kept = kept(key);
        if (kept != null) {
            return Uni.createFrom().item(kept);
        }
        return queues.draw(productId, from, limit).map(draw -> {
            DrawPage page = render(draw);
            if (page.drawn()) {
                keep(key, page);
            }
            return page;
        });
    }

    /** The page's bytes, as Quarkus REST would write {@code draw}, and their ETag. */
    public DrawPage render(QueueDraw draw) {
        try {
            byte[] bytes = json.writeValueAsBytes(draw);
            return new DrawPage(bytes, etag(bytes), draw.drawSeed() != null);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a draw page", e);
        }
    }

    /** A strong entity tag's value: the SHA-256 of the bytes, base64url. */
    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private synchronized DrawPage kept(Key key) {
        return pages.get(key);
    }

    private synchronized void keep(Key key, DrawPage page) {
        DrawPage replaced = pages.put(key, page);
        cachedBytes += cost(page) - (replaced == null ? 0 : cost(replaced));
        Iterator<DrawPage> leastRecent = pages.values().iterator();
        while (cachedBytes > MAX_CACHED_BYTES && leastRecent.hasNext()) {
            cachedBytes -= cost(leastRecent.next());
            leastRecent.remove();
        }
    }

    private static long cost(DrawPage page) {
        return page.json().length + ENTRY_OVERHEAD;
    }
}
