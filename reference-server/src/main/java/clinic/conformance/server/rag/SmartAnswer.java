package clinic.conformance.server.rag;

import java.util.List;

/** The body of a smart answer (contract §1): the LLM's answer, the sources it was given, and where the time went. */
public record SmartAnswer(String answer, List<KnowledgeStore.Source> sources, String model, Timings timingsMs) {
    /** Milliseconds per stage. */
    public record Timings(long embed, long search, long llm, long total) {
    }
}
