package clinic.conformance.scenarios.attacks;

import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A small seeded generator for the bad-input checks: the same seed gives the same inputs, and every failure message
 * carries the seed ({@code --attack-seed N} replays a run).
 */
final class Generator {
    private final long seed;
    private final Random random;

    /** The run's {@code --attack-seed}, else a fresh seed. */
    Generator(java.util.OptionalLong runSeed) {
        this(runSeed.orElse(System.nanoTime()));
    }

    Generator(long seed) {
        this.seed = seed;
        this.random = new Random(seed);
    }

    long seed() {
        return seed;
    }

    int between(int min, int max) {
        return (int) (min + (long) (random.nextDouble() * ((long) max - min + 1)));
    }

    long between(long min, long max) {
        return min + (long) (random.nextDouble() * (max - min));
    }

    double between(double min, double max) {
        return min + random.nextDouble() * (max - min);
    }

    boolean coin() {
        return random.nextBoolean();
    }

    <T> T oneOf(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    @SafeVarargs
    final <T> T oneOf(Supplier<T>... choices) {
        return choices[random.nextInt(choices.length)].get();
    }

    /** Any UTF-16 text up to {@code max} chars, from printable ASCII, Latin, CJK and emoji. */
    String text(int max) {
        var text = new StringBuilder();
        int length = between(0, max);
        while (text.length() < length) {
            text.appendCodePoint(oneOf(() -> between(0x20, 0x7e), () -> between(0xa0, 0x24f), () -> between(0x4e00, 0x4fff),
                    () -> between(0x1f600, 0x1f64f)));
        }
        return text.toString();
    }

    /** {@code length} chars drawn from {@code alphabet}. */
    String of(String alphabet, int length) {
        var text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    <T> List<T> list(int min, int max, Function<Generator, T> element) {
        int size = between(min, max);
        return java.util.stream.IntStream.range(0, size).mapToObj(i -> element.apply(this)).toList();
    }
}
