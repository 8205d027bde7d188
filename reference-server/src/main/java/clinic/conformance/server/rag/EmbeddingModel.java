package clinic.conformance.server.rag;

/** Turns text into a vector; {@link Embeddings} pads it to the schema's 1536 dimensions. */
public interface EmbeddingModel {
    /** Recorded per row, so a question is only ever compared with chunks of the same model. */
    String name();

    float[] embed(String text);
}
