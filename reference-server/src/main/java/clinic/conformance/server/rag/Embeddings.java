package clinic.conformance.server.rag;

import java.util.Arrays;

/** {@code vector(1536)} values: a shorter model's vector is padded with zeros, which leaves cosine similarity unchanged. */
public final class Embeddings {
    public static final int DIMENSIONS = 1536;

    private Embeddings() {
    }

    public static float[] padded(float[] vector) {
        if (vector.length > DIMENSIONS) {
            throw new IllegalArgumentException("an embedding of " + vector.length + " dimensions does not fit vector("
                    + DIMENSIONS + ")");
        }
        return Arrays.copyOf(vector, DIMENSIONS);
    }

    /** pgvector's text form: {@code [0.1,0.2,…]}. */
    public static String literal(float[] vector) {
        var text = new StringBuilder(vector.length * 8).append('[');
        for (int i = 0; i < vector.length; i++) {
            if (i > 0) {
                text.append(',');
            }
            text.append(vector[i]);
        }
        return text.append(']').toString();
    }
}
