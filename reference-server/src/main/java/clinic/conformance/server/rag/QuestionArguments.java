package clinic.conformance.server.rag;

import clinic.conformance.server.http.ApiError;
import clinic.conformance.server.http.Text;
import clinic.conformance.server.http.Uuids;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.UUID;

/** A question (1–2,000 characters), an optional clinic_id, and top_k (1–10, default 3). */
public record QuestionArguments(String question, Optional<UUID> clinicId, int topK) {
    public static final int MAX_QUESTION = 2_000;

    public static QuestionArguments from(JsonNode args) {
        JsonNode question = args.get("question");
        if (question == null || !question.isTextual() || question.asText().isBlank() || !Text.storable(question.asText())
                || question.asText().codePointCount(0, question.asText().length()) > MAX_QUESTION) {
            throw ApiError.invalidRequest("question must be 1-" + MAX_QUESTION + " characters");
        }
        JsonNode clinic = args.get("clinic_id");
        Optional<UUID> clinicId = Optional.empty();
        if (clinic != null && !clinic.isNull()) {
            clinicId = Optional.of(Uuids.parse(clinic.isTextual() ? clinic.asText() : null)
                    .orElseThrow(() -> ApiError.invalidRequest("clinic_id must be a uuid")));
        }
        JsonNode k = args.get("top_k");
        int topK = 3;
        if (k != null && !k.isNull()) {
            if (!k.isIntegralNumber() || !k.canConvertToInt() || k.intValue() < 1 || k.intValue() > 10) {
                throw ApiError.invalidRequest("top_k must be a whole number from 1 to 10, got " + k);
            }
            topK = k.intValue();
        }
        return new QuestionArguments(question.asText(), clinicId, topK);
    }
}
