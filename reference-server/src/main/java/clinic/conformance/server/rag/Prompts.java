package clinic.conformance.server.rag;

import java.util.List;

/** The system prompt: the caller's own clinic's sources and nothing else. */
public final class Prompts {
    private Prompts() {
    }

    public static String system(List<KnowledgeStore.Source> sources) {
        var prompt = new StringBuilder("""
                You are the phone assistant of a medical clinic. Answer the caller's question using only the clinic \
                information below. If the answer is not there, say you do not know and offer to take a message. \
                Answer in one or two short sentences.

                Clinic information:
                """);
        if (sources.isEmpty()) {
            prompt.append("(none)\n");
        }
        for (int i = 0; i < sources.size(); i++) {
            prompt.append('[').append(i + 1).append("] ").append(sources.get(i).content()).append('\n');
        }
        return prompt.toString();
    }
}
