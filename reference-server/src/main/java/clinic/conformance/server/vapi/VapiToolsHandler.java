package clinic.conformance.server.vapi;

import clinic.conformance.server.auth.Claims;
import clinic.conformance.server.http.ApiError;
import clinic.conformance.server.http.ErrorMapper;
import clinic.conformance.server.vapi.credentials.VapiAuthentication;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/vapi/tools}: Vapi's server-URL tool-calls message, answered with one {@code results} entry per
 * call, in order (contract §1 v2). Vapi reads only HTTP 200, so by default every readable message with a valid
 * credential is answered 200 and refusals travel as {@code error} + {@code error_code}; under the seed's profile
 * ({@code VAPI_REFUSALS=status}) a message of one refused call is answered with the refusal's status instead.
 */
public final class VapiToolsHandler implements Handler {
    private static final Logger LOG = LoggerFactory.getLogger(VapiToolsHandler.class);
    private final ObjectMapper mapper;
    private final ToolCallMessages messages;
    private final VapiAuthentication authentication;
    private final Map<String, VapiTool> tools;
    private final boolean refusalsAsStatus;

    public VapiToolsHandler(ObjectMapper mapper, VapiAuthentication authentication, List<VapiTool> tools,
                            boolean refusalsAsStatus, int maxToolCalls) {
        this.mapper = mapper;
        this.messages = new ToolCallMessages(mapper, maxToolCalls);
        this.authentication = authentication;
        this.tools = tools.stream().collect(Collectors.toMap(VapiTool::name, Function.identity()));
        this.refusalsAsStatus = refusalsAsStatus;
    }

    @Override
    public void handle(Context ctx) throws Exception {
        byte[] raw = ctx.bodyAsBytes();
        // contract §1 v3: a signature is checked over the bytes as received, before the JSON is parsed
        Optional<Claims> signed = authentication.signed(ctx, raw);
        List<ToolCall> calls = messages.parse(mapper.readTree(raw));
        if (refusalsAsStatus && calls.size() == 1) {
            handleOneWithStatus(ctx, calls.get(0), signed);
        } else {
            handleEach(ctx, calls, signed);
        }
    }

    private Claims credential(Context ctx, Optional<Claims> signed) throws Exception {
        return signed.isPresent() ? signed.get() : authentication.bearer(ctx);
    }

    /** The seed's profile for a single call: 400 shape → 401 token → the tool's own refusal, each as its status. */
    private void handleOneWithStatus(Context ctx, ToolCall call, Optional<Claims> signed) throws Exception {
        ctx.attribute(ErrorMapper.TOOL_CALL, call);
        VapiTool.Prepared prepared = toolFor(call).prepare(call);
        Claims claims = credential(ctx, signed);
        ToolReply reply = prepared.run(claims);
        var body = new LinkedHashMap<String, Object>();
        body.put("success", true);
        body.putAll(reply.fields());
        body.put("results", List.of(ToolResult.success(call, reply.sentence())));
        ctx.status(200).json(body);
    }

    /**
     * Every call answered, in order, each on its own: one call's refusal or database error never hides another's
     * result, and each booking is committed by its own call, so nothing is committed without its result here.
     */
    private void handleEach(Context ctx, List<ToolCall> calls, Optional<Claims> signed) throws Exception {
        // a refused credential is audited with the (first) call it came with
        ctx.attribute(ErrorMapper.TOOL_CALL, calls.get(0));
        Claims claims = credential(ctx, signed);
        ctx.attribute(ErrorMapper.TOOL_CALL, null);
        var results = new ArrayList<ToolResult>();
        ToolReply onlyReply = null;
        ApiError onlyRefusal = null;
        for (ToolCall call : calls) {
            try {
                ToolReply reply = toolFor(call).prepare(call).run(claims);
                results.add(ToolResult.success(call, reply.sentence()));
                onlyReply = reply;
            } catch (ApiError refused) {
                results.add(ToolResult.error(call, refused.code(), refused.getMessage()));
                onlyRefusal = refused;
            } catch (SQLException failed) {
                ApiError mapped = ErrorMapper.fromSql(failed);
                results.add(ToolResult.error(call, mapped.code(), mapped.getMessage()));
                onlyRefusal = mapped;
            } catch (RuntimeException failed) {
                LOG.error("tool call {} ({}) failed", call.id(), call.name(), failed);
                onlyRefusal = new ApiError(500, "internal_error", "the server could not complete this call");
                results.add(ToolResult.error(call, onlyRefusal.code(), onlyRefusal.getMessage()));
            }
        }
        var body = new LinkedHashMap<String, Object>();
        body.put("success", results.stream().allMatch(r -> r.error() == null));
        if (calls.size() == 1 && onlyReply != null && onlyRefusal == null) {
            body.putAll(onlyReply.fields());
        } else if (calls.size() == 1 && onlyRefusal != null) {
            body.put("error", Map.of("code", onlyRefusal.code(), "message", onlyRefusal.getMessage()));
        }
        body.put("results", results);
        ctx.status(200).json(body);
    }

    private VapiTool toolFor(ToolCall call) {
        VapiTool tool = tools.get(call.name());
        if (tool == null) {
            throw ApiError.invalidRequest("unknown tool '" + call.name() + "'; this server offers " + tools.keySet());
        }
        return tool;
    }
}
