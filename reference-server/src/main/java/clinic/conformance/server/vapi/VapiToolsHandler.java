package clinic.conformance.server.vapi;

import clinic.conformance.server.auth.Claims;
import clinic.conformance.server.auth.TokenVerifier;
import clinic.conformance.server.http.ApiError;
import clinic.conformance.server.http.ErrorMapper;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** {@code POST /api/vapi/tools}: Vapi's server-URL tool-calls message, answered with {@code results}. */
public final class VapiToolsHandler implements Handler {
    private final ObjectMapper mapper;
    private final ToolCallMessages messages;
    private final TokenVerifier tokens;
    private final Map<String, VapiTool> tools;

    public VapiToolsHandler(ObjectMapper mapper, TokenVerifier tokens, List<VapiTool> tools) {
        this.mapper = mapper;
        this.messages = new ToolCallMessages(mapper);
        this.tokens = tokens;
        this.tools = tools.stream().collect(Collectors.toMap(VapiTool::name, Function.identity()));
    }

    @Override
    public void handle(Context ctx) throws Exception {
        List<ToolCall> calls = messages.parse(mapper.readTree(ctx.bodyAsBytes()));
        if (calls.size() == 1) {
            handleOne(ctx, calls.get(0));
        } else {
            handleMany(ctx, calls);
        }
    }

    private void handleOne(Context ctx, ToolCall call) throws Exception {
        ctx.attribute(ErrorMapper.TOOL_CALL, call);
        VapiTool.Prepared prepared = toolFor(call).prepare(call);
        Claims claims = tokens.verifyHeader(ctx.header("Authorization"));
        ToolReply reply = prepared.run(claims);
        var body = new LinkedHashMap<String, Object>();
        body.put("success", true);
        body.putAll(reply.fields());
        body.put("results", List.of(ToolResult.success(call, reply.sentence())));
        ctx.status(200).json(body);
    }

    /** Several calls in one message: each gets its own result; the HTTP status is 200 unless the token is bad. */
    private void handleMany(Context ctx, List<ToolCall> calls) throws Exception {
        var prepared = new ArrayList<VapiTool.Prepared>();
        for (ToolCall call : calls) {
            prepared.add(toolFor(call).prepare(call));
        }
        Claims claims = tokens.verifyHeader(ctx.header("Authorization"));
        var results = new ArrayList<ToolResult>();
        for (int i = 0; i < calls.size(); i++) {
            try {
                results.add(ToolResult.success(calls.get(i), prepared.get(i).run(claims).sentence()));
            } catch (ApiError refused) {
                results.add(ToolResult.error(calls.get(i), refused.getMessage()));
            }
        }
        ctx.status(200).json(Map.of("success", results.stream().allMatch(r -> r.error() == null), "results", results));
    }

    private VapiTool toolFor(ToolCall call) {
        VapiTool tool = tools.get(call.name());
        if (tool == null) {
            throw ApiError.invalidRequest("unknown tool '" + call.name() + "'; this server offers " + tools.keySet());
        }
        return tool;
    }
}
