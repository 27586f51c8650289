package org.flashsale.live;

/** The PostgreSQL NOTIFY channel that carries every live change between processes. */
public final class LiveChannels {

    public static final String EVENTS = "flashsale_live";

    /** NOTIFY payloads must stay under 8,000 bytes; leave room. */
    static final int MAX_PAYLOAD_BYTES = 7_000;

    private LiveChannels() {
    }
}
