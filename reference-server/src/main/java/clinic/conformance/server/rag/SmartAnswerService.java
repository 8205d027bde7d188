package clinic.conformance.server.rag;

import clinic.conformance.server.auth.Claims;
import clinic.conformance.server.db.Database;
import java.sql.SQLException;
import java.util.List;

/** The RAG loop shared by {@code POST /api/smart-answer} and the Vapi tool {@code answer_question}. */
public final class SmartAnswerService {
    private final Database database;
    private final KnowledgeStore knowledge;
    private final EmbeddingModel embeddings;
    private final ChatModel chat;

    public SmartAnswerService(Database database, KnowledgeStore knowledge, EmbeddingModel embeddings, ChatModel chat) {
        this.database = database;
        this.knowledge = knowledge;
        this.embeddings = embeddings;
        this.chat = chat;
    }

    public SmartAnswer answer(Claims claims, String question, int topK) throws SQLException {
        long start = System.nanoTime();
        float[] vector = Embeddings.padded(embeddings.embed(question));
        long embedded = System.nanoTime();
        List<KnowledgeStore.Source> sources = database.asUser(claims,
                connection -> knowledge.nearest(connection, claims.orgId(), vector, embeddings.name(), topK));
        long searched = System.nanoTime();
        String answer = chat.answer(Prompts.system(sources), question);
        long answered = System.nanoTime();
        return new SmartAnswer(answer, sources, chat.model(), new SmartAnswer.Timings(
                millis(embedded - start), millis(searched - embedded), millis(answered - searched), millis(answered - start)));
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }
}
