package clinic.conformance.scenarios.booking;

import clinic.conformance.fixtures.vapi.VapiResponse;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/** Fires n calls at once from n threads behind a start gate, and collects every answer. */
record ConcurrentCalls(List<VapiResponse> responses) {

    static ConcurrentCalls race(int n, IntFunction<VapiResponse> call) {
        return race(n, () -> { }, call);
    }

    /** Each racer first runs {@code warm} (opening its connection), then all wait at the gate and fire together. */
    static ConcurrentCalls race(int n, Runnable warm, IntFunction<VapiResponse> call) {
        var pool = Executors.newFixedThreadPool(n);
        var gate = new CountDownLatch(1);
        var ready = new CountDownLatch(n);
        try {
            var futures = new ArrayList<Future<VapiResponse>>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    warm.run();
                    ready.countDown();
                    gate.await();
                    return call.apply(index);
                }));
            }
            ready.await(60, TimeUnit.SECONDS);
            gate.countDown();
            var responses = new ArrayList<VapiResponse>();
            for (var future : futures) {
                responses.add(future.get(60, TimeUnit.SECONDS));
            }
            return new ConcurrentCalls(responses);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while racing", e);
        } catch (ExecutionException e) {
            if (timedOut(e)) {
                // the target took a request and never answered it: a defect of the target, not of the harness
                throw new AssertionError("a racing call got no answer before its timeout: the target hangs under "
                        + "concurrent requests (" + e.getCause() + ")", e);
            }
            throw new IllegalStateException("a racing call failed: " + e.getMessage(), e);
        } catch (TimeoutException e) {
            throw new AssertionError("the race did not finish within 60 s: the target hangs under concurrent requests", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static boolean timedOut(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpTimeoutException || cause instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    long countOf(int status) {
        return responses.stream().filter(r -> r.status() == status).count();
    }

    List<Integer> statuses() {
        return responses.stream().map(VapiResponse::status).sorted().toList();
    }
}
