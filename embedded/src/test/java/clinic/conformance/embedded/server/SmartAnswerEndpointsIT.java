package clinic.conformance.embedded.server;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import clinic.conformance.embedded.EmbeddedTarget;
import clinic.conformance.fixtures.Fixtures;
import clinic.conformance.server.config.ServerConfig;
import com.github.tomakehurst.wiremock.client.WireMock;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The reference server's RAG endpoints under failure, re-ingestion and the OpenAI-compatible embeddings protocol. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Reference server: smart answer endpoints")
class SmartAnswerEndpointsIT {
    private EmbeddedTarget target;
    private Fixtures fx;

    @BeforeAll
    void start() {
        target = EmbeddedTarget.start();
        fx = Fixtures.forTarget(target.target());
    }

    @AfterAll
    void stop() {
        target.close();
    }

    @Test
    void aFailingLlmIsAClear503InTheVapiResultNotAHang() {
        var clinic = fx.seed().clinic("LLM down").insert();
        String token = fx.tokens().forUser(clinic.admin()).sign();
        String question = "Is the LLM there? " + UUID.randomUUID();
        fx.llmOrSkip().failsFor(question);

        var viaVapi = fx.api().ask(question).send(token);
        var viaApi = fx.api().postJson("/api/smart-answer", Map.of("question", question), token);

        assertThat(viaVapi.status()).isEqualTo(503);
        assertThat(viaVapi.errorCode()).isEqualTo("unavailable");
        assertThat(viaVapi.json().getString("results[0].error")).as("Vapi hears why").isNotBlank();
        assertThat(viaApi.status()).isEqualTo(503);
    }

    @Test
    void reIngestingTheSameDocumentStoresNothingNew() {
        var clinic = fx.seed().clinic("Twice").insert();
        String token = fx.tokens().forUser(clinic.admin()).sign();
        var document = Map.of("content", "We open at nine.\n\nParking is behind the building.", "title", "Facts");

        var first = fx.api().postJson("/api/knowledge", document, token);
        var second = fx.api().postJson("/api/knowledge", document, token);

        assertThat(first.status()).isEqualTo(201);
        assertThat(first.json().getList("ids")).hasSize(2);
        assertThat(second.json().getList("ids")).isEqualTo(first.json().getList("ids"));
        assertThat(fx.database().count("select count(*) from public.knowledge_base where org_id = ?", clinic.id()))
                .isEqualTo(2);
    }

    @Test
    void answerQuestionRefusesAnotherClinicAndBadArguments() {
        var clinic = fx.seed().clinic("Asker").insert();
        var other = fx.seed().clinic("Other").insert();
        String token = fx.tokens().forUser(clinic.admin()).sign();

        var foreign = fx.api().ask("What are your hours?").inClinic(other.id()).send(token);
        var tooMany = fx.api().ask("What are your hours?").topK(11).send(token);
        var empty = fx.api().ask(" ").send(token);

        assertThat(foreign.status()).isEqualTo(403);
        assertThat(fx.database().count("select count(*) from public.audit_log where actor_id = ? and target_org_id = ?",
                clinic.admin().id(), other.id())).as("the refusal is audited").isEqualTo(1);
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(empty.status()).isEqualTo(400);
    }

    @Test
    void theOpenAiEmbeddingsProtocolIsSpokenAsDocumented() {
        try (var openAiTarget = EmbeddedTarget.builder()
                .withServerSetting(ServerConfig.EMBEDDINGS_PROVIDER, "openai")
                .withServerSetting(ServerConfig.EMBEDDINGS_MODEL, "text-embedding-3-small")
                .withServerSetting(ServerConfig.EMBEDDINGS_API_KEY, "test-embeddings-key")
                .start()) {
            URIs mock = URIs.of(openAiTarget);
            var wireMock = WireMock.create().host(mock.host()).port(mock.port()).build();
            float[] vector = new float[1536];
            vector[0] = 1f;
            wireMock.register(post(urlPathEqualTo("/v1/embeddings")).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":"
                            + java.util.Arrays.toString(vector) + "}],\"model\":\"text-embedding-3-small\"}")));
            var local = Fixtures.forTarget(openAiTarget.target());
            var clinic = local.seed().clinic("OpenAI").insert();
            // the embeddings base URL is the mock's /v1, as for the LLM
            var stored = local.api().postJson("/api/knowledge", Map.of("content", "Open at nine."),
                    local.tokens().forUser(clinic.admin()).sign());

            assertThat(stored.status()).as("ingest %s", stored).isEqualTo(201);
            var sent = wireMock.find(postRequestedFor(urlPathEqualTo("/v1/embeddings")));
            assertThat(sent).hasSize(1);
            assertThat(sent.get(0).getHeader("Authorization")).isEqualTo("Bearer test-embeddings-key");
            assertThat(sent.get(0).getBodyAsString()).contains("\"model\":\"text-embedding-3-small\"")
                    .contains("\"input\":\"Open at nine.\"");
            assertThat(local.database().rows("select embedding_model from public.knowledge_base where org_id = ?",
                    clinic.id())).singleElement().extracting(r -> r.get("embedding_model")).isEqualTo("text-embedding-3-small");
        }
    }

    /** Host and port of an embedded target's mock. */
    private record URIs(String host, int port) {
        static URIs of(EmbeddedTarget target) {
            var url = target.target().mockUrl().orElseThrow();
            return new URIs(url.getHost(), url.getPort());
        }
    }
}
