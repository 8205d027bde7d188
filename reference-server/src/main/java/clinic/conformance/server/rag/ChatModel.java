package clinic.conformance.server.rag;

/** Answers a question from a system prompt that carries the retrieved sources. */
public interface ChatModel {
    String model();

    String answer(String systemPrompt, String question);
}
