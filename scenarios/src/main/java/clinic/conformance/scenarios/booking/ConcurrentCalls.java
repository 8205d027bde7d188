package clinic.conformance.scenarios.booking;

import clinic.conformance.fixtures.vapi.ApiResponse;
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
record ConcurrentCalls(List<ApiResponse> responses) {

    static ConcurrentCalls race(int n, IntFunction<ApiResponse> call) {
        return race(n, () -> { }, call);
    }

    /** Each racer first runs {@code warm} (opening its connection), then all wait at the gate and fire together. */
    static ConcurrentCalls race(int n, Runnable warm, IntFunction<ApiResponse> call) {
        var pool = Executors.newFixedThreadPool(n);
        var gate = new CountDownLatch(1);
        var ready = new CountDownLatch(n);
        try {
            var futures = new ArrayList<Future<ApiResponse>>();
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
            var responses = new ArrayList<ApiResponse>();
            for (var future : futures) {
                responses.add(future.get(60, TimeUnit.SECONDS));
            }
            return new ConcurrentCalls(responses);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while racing", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("a racing call failed: " + e.getMessage(), e);
        } finally {
            pool.shutdownNow();
        }
    }

    long countOf(int status) {
        return responses.stream().filter(r -> r.status() == status).count();
    }

    List<Integer> statuses() {
        return responses.stream().map(ApiResponse::status).sorted().toList();
    }
}
