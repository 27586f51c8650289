package org.flashsale.client.retry;

import java.io.IOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import org.flashsale.client.ApiException;

/**
 * The one place a client of this API decides what to retry: it calls an operation again until it gets a definite
 * answer. A network error, a timeout (set one: {@code ApiClient.setReadTimeout}), 429, 502, 503 and 504 are tried
 * again after a capped exponential backoff with jitter, or after {@code Retry-After} when the answer says longer; any
 * other answer (2xx, 409, 4xx) ends it. It gives up, throwing the last failure, once the waits would pass the budget.
 *
 * <p>Retrying is only safe for an operation that has one effect however often it runs. Complete, cancel, join and
 * leave a queue are so by nature; a reserve is so only with an {@code Idempotency-Key}, made once per reserve meant
 * (one press of Reserve) before the first attempt and sent by every attempt:
 *
 * <pre>{@code
 * String key = UUID.randomUUID().toString();
 * Hold hold = Retrying.standard().call(() -> reservations.reserve(request, key));
 * }</pre>
 *
 * Without the key, a retry of a reserve whose answer was lost adds its quantity to the hold a second time.
 */
public final class Retrying {

    /** One attempt of the operation. */
    @FunctionalInterface
    public interface Attempt<T> {
        T run() throws ApiException;
    }

    /** How a wait is spent ({@link Thread#sleep} unless a test wants to see the waits). */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration wait) throws InterruptedException;
    }

    private static final Set<Integer> TRANSIENT_STATUSES = Set.of(429, 502, 503, 504);

    private final Duration firstDelay;
    private final Duration maxDelay;
    private final Duration budget;
    private final Sleeper sleeper;

    /**
     * @param firstDelay the backoff before the first retry, doubled for each further one
     * @param maxDelay   the longest backoff (a longer {@code Retry-After} is still honoured)
     * @param budget     the most time spent waiting, all waits together
     */
    public Retrying(Duration firstDelay, Duration maxDelay, Duration budget, Sleeper sleeper) {
        this.firstDelay = firstDelay;
        this.maxDelay = maxDelay;
        this.budget = budget;
        this.sleeper = sleeper;
    }

    /** 200 ms doubling up to 5 s, for at most 30 s of waiting. */
    public static Retrying standard() {
        return new Retrying(Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(30),
                wait -> Thread.sleep(wait.toMillis()));
    }

    public <T> T call(Attempt<T> attempt) throws ApiException, InterruptedException {
        Duration waited = Duration.ZERO;
        for (int retry = 0;; retry++) {
            try {
                return attempt.run();
            } catch (ApiException failure) {
                Duration wait = isTransient(failure) ? delay(retry, failure) : null;
                if (wait == null || waited.plus(wait).compareTo(budget) > 0) {
                    throw failure;
                }
                sleeper.sleep(wait);
                waited = waited.plus(wait);
            }
        }
    }

    /** No answer (the generated client wraps the IOException, a timeout's too, with code 0) or a passing refusal. */
    static boolean isTransient(ApiException failure) {
        return failure.getCode() == 0 ? failure.getCause() instanceof IOException
                : TRANSIENT_STATUSES.contains(failure.getCode());
    }

    /** "Equal jitter": half the capped exponential backoff plus a random share of the other half. */
    private Duration delay(int retry, ApiException failure) {
        long cap = Math.min(maxDelay.toMillis(), firstDelay.toMillis() << Math.min(retry, 20));
        Duration backoff = Duration.ofMillis(cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1));
        Duration asked = retryAfter(failure);
        return asked.compareTo(backoff) > 0 ? asked : backoff;
    }

    /** Retry-After in seconds or as an HTTP date; zero when absent or unreadable. */
    static Duration retryAfter(ApiException failure) {
        if (failure.getResponseHeaders() == null) {
            return Duration.ZERO;
        }
        return failure.getResponseHeaders().firstValue("Retry-After").map(String::strip).map(value -> {
            if (value.matches("[0-9]{1,9}")) {
                return Duration.ofSeconds(Long.parseLong(value));
            }
            try {
                Duration until = Duration.between(ZonedDateTime.now(),
                        ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException unreadable) {
                return Duration.ZERO;
            }
        }).orElse(Duration.ZERO);
    }
}
