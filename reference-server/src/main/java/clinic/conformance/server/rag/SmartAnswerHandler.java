package clinic.conformance.server.rag;

import clinic.conformance.server.auth.TokenVerifier;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;

/** {@code POST /api/smart-answer}. */
public final class SmartAnswerHandler {
    private final ObjectMapper mapper;
    private final TokenVerifier tokens;
    private final SmartAnswerService answers;

    public SmartAnswerHandler(ObjectMapper mapper, TokenVerifier tokens, SmartAnswerService answers) {
        this.mapper = mapper;
        this.tokens = tokens;
        this.answers = answers;
    }

    public void answer(Context ctx) throws Exception {
        JsonNode body = mapper.readTree(ctx.bodyAsBytes());
        var args = QuestionArguments.from(body == null || !body.isObject() ? mapper.createObjectNode() : body);
        var claims = tokens.verifyHeader(ctx.header("Authorization"));
        ctx.json(answers.answer(claims, args.question(), args.topK()));
    }
}
