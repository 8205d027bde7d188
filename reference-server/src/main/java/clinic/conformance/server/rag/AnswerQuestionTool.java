package clinic.conformance.server.rag;

import clinic.conformance.server.audit.AuditLog;
import clinic.conformance.server.http.ApiError;
import clinic.conformance.server.vapi.ToolCall;
import clinic.conformance.server.vapi.ToolReply;
import clinic.conformance.server.vapi.VapiTool;
import java.util.LinkedHashMap;
import java.util.Map;

/** The Vapi tool {@code answer_question}: the same code path as {@code POST /api/smart-answer}. */
public final class AnswerQuestionTool implements VapiTool {
    public static final String NAME = "answer_question";
    private final SmartAnswerService answers;
    private final AuditLog audit;

    public AnswerQuestionTool(SmartAnswerService answers, AuditLog audit) {
        this.answers = answers;
        this.audit = audit;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Prepared prepare(ToolCall call) {
        QuestionArguments args = QuestionArguments.from(call.arguments());
        return claims -> {
            if (args.clinicId().isPresent() && !args.clinicId().get().equals(claims.orgId())) {
                audit.record(claims, NAME, args.clinicId().get(), "forbidden", Map.of("tool_call_id", call.id()));
                throw ApiError.forbidden("clinic_id is not the clinic of your access token");
            }
            SmartAnswer answer = answers.answer(claims, args.question(), args.topK());
            var fields = new LinkedHashMap<String, Object>();
            fields.put("answer", answer.answer());
            fields.put("sources", answer.sources());
            fields.put("model", answer.model());
            fields.put("timings_ms", answer.timingsMs());
            return new ToolReply(fields, answer.answer());
        };
    }
}
