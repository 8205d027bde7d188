package clinic.conformance.server.rag;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;

/**
 * all-MiniLM-L6-v2 (384 dimensions), run in-process with ONNX Runtime from the model shipped in its Maven Central
 * artifact: no network at run time. The full-precision model, chosen over its quantized sibling for retrieval quality.
 */
public final class LocalEmbeddingModel implements EmbeddingModel {
    public static final String NAME = "sentence-transformers/all-MiniLM-L6-v2";
    private volatile AllMiniLmL6V2EmbeddingModel model;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public float[] embed(String text) {
        return model().embed(text).content().vector();
    }

    /** Loads the model on first use (about a second), so a server that never embeds never pays for it. */
    private AllMiniLmL6V2EmbeddingModel model() {
        AllMiniLmL6V2EmbeddingModel loaded = model;
        if (loaded == null) {
            synchronized (this) {
                if (model == null) {
                    model = new AllMiniLmL6V2EmbeddingModel();
                }
                loaded = model;
            }
        }
        return loaded;
    }
}
