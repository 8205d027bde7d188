package clinic.conformance.scenarios.smartanswer;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.conformance.fixtures.ConformanceTest;
import clinic.conformance.fixtures.Fixtures;
import clinic.conformance.fixtures.corpus.ClinicFacts;
import clinic.conformance.fixtures.seed.Clinic;
import clinic.conformance.fixtures.timing.LatencyChart;
import clinic.conformance.fixtures.timing.LatencyTimer;
import clinic.conformance.fixtures.vapi.ApiResponse;
import clinic.conformance.scenarios.Budgets;
import io.qameta.allure.AllureId;
import io.qameta.allure.Feature;
import io.qameta.allure.Severity;
import io.qameta.allure.SeverityLevel;
import io.qameta.allure.Story;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@ConformanceTest
@DisplayName("S3 Smart answer loop")
@Tag("S3")
@Feature("S3 Smart answer loop")
class SmartAnswerLoopTests {
    private static final List<String> HARBOURVIEW_MARKERS = List.of("Harbourview", "Quay Street", "Kaiser", "Okafor", "Ferreira");
    private final Fixtures fx;
    private Clinic north;
    private Clinic harbour;
    private String northToken;
    private String harbourToken;
    private List<String> northIds;
    private List<String> harbourIds;

    SmartAnswerLoopTests(Fixtures fixtures) {
        this.fx = fixtures;
    }

    @BeforeAll
    void ingestTwoClinicsKnowledge() {
        north = fx.seed().clinic("Northside").insert();
        harbour = fx.seed().clinic("Harbourview").insert();
        northToken = fx.tokens().of(north.admin());
        harbourToken = fx.tokens().of(harbour.admin());
        northIds = ingest(northToken, ClinicFacts.northside());
        harbourIds = ingest(harbourToken, ClinicFacts.harbourview());
    }

    @AfterAll
    void cleanUp() {
        fx.seed().cleanUp(north, harbour);
    }

    @Test
    @AllureId("S3.1")
    @Story("Retrieval")
    @Severity(SeverityLevel.BLOCKER)
    @DisplayName("S3.1 an org's question retrieves its own documents, the relevant one first")
    void anOrgsQuestionRetrievesItsOwnDocuments() {
        var answer = smartAnswer(northToken, ClinicFacts.HOURS_QUESTION, 3);

        assertThat(answer.status()).as("smart answer %s", answer).isEqualTo(200);
        assertThat(sourceIds(answer)).as("source ids").isNotEmpty().isSubsetOf(northIds);
        assertThat(sourceIds(answer).get(0)).as("the top source is the opening-hours document").isEqualTo(northIds.get(0));
    }

    @Test
    @AllureId("S3.1")
    @Story("Retrieval")
    @Severity(SeverityLevel.CRITICAL)
    @DisplayName("S3.1 the Vapi tool answer_question retrieves the same way and speaks the answer")
    void theVapiToolAnswersFromTheOrgsOwnDocuments() {
        var call = fx.api().ask(ClinicFacts.PARKING_QUESTION);
        var response = call.send(northToken);

        assertThat(response.status()).as("answer_question %s", response).isEqualTo(200);
        assertThat(response.json().getString("results[0].toolCallId")).isEqualTo(call.toolCallId());
        assertThat(response.json().getString("results[0].result")).as("the line Vapi speaks is the answer")
                .isEqualTo(response.json().getString("answer"));
        assertThat(sourceIds(response)).as("source ids").isNotEmpty().isSubsetOf(northIds);
        assertThat(sourceIds(response).get(0)).as("the parking document first").isEqualTo(northIds.get(1));
    }

    @Test
    @AllureId("S3.2")
    @Story("Tenant isolation")
    @Severity(SeverityLevel.BLOCKER)
    void identicalQuestionsNeverCrossOrgs() {
        var topics = Map.of(ClinicFacts.HOURS_QUESTION, 0, ClinicFacts.PARKING_QUESTION, 1, ClinicFacts.INSURANCE_QUESTION, 2);
        for (var topic : topics.entrySet()) {
            var fromNorth = smartAnswer(northToken, topic.getKey(), 10);
            var fromHarbour = smartAnswer(harbourToken, topic.getKey(), 10);
            assertThat(sourceIds(fromNorth)).as("Northside's sources for '%s'", topic.getKey())
                    .isNotEmpty().isSubsetOf(northIds);
            assertThat(sourceIds(fromHarbour)).as("Harbourview's sources for '%s'", topic.getKey())
                    .isNotEmpty().isSubsetOf(harbourIds);
            assertThat(sourceIds(fromHarbour).get(0)).as("Harbourview's own answer document first")
                    .isEqualTo(harbourIds.get(topic.getValue()));
            assertThat(fromNorth.body()).as("no Harbourview text in Northside's answer body")
                    .doesNotContain(HARBOURVIEW_MARKERS.toArray(String[]::new));
        }
        long visible = fx.database().asMember(north.admin(), connection -> clinic.conformance.fixtures.database
                .TargetDatabase.single(connection, "select count(*) from public.knowledge_base where id = any(?::uuid[])",
                        (Object) harbourIds.toArray(String[]::new)));
        assertThat(visible).as("Harbourview chunks visible to Northside's admin in the database").isZero();
    }

    @Test
    @AllureId("S3.3")
    @Story("Ranking")
    @Severity(SeverityLevel.CRITICAL)
    void similarityScoresAreInRangeDescendingAndRelevantFirst() {
        var answer = smartAnswer(northToken, ClinicFacts.INSURANCE_QUESTION, 4);

        List<Double> scores = answer.json().getList("sources.similarity", Double.class);
        assertThat(scores).as("one score per source, all four of the org's chunks").hasSize(4);
        assertThat(scores).as("cosine similarities").allSatisfy(s -> assertThat(s).isBetween(-1.0, 1.0));
        assertThat(scores).as("sorted descending").isSortedAccordingTo((a, b) -> Double.compare(b, a));
        assertThat(sourceIds(answer).get(0)).as("the insurance document scores highest").isEqualTo(northIds.get(2));
        assertThat(scores.get(0)).as("the relevant document stands out").isGreaterThan(scores.get(1));
    }

    @Test
    @AllureId("S3.4")
    @Story("Performance")
    @Severity(SeverityLevel.NORMAL)
    void vectorSearchIsUnderBudgetOnARealisticCorpus() {
        int chunks = fx.options().corpusSize();
        String model = (String) fx.database().rows("select embedding_model from public.knowledge_base where id = ?::uuid",
                northIds.get(0)).get(0).get("embedding_model");
        var corpus = fx.scaleCorpus().insert(chunks, 10, model);
        try {
            smartAnswer(northToken, ClinicFacts.PARKING_QUESTION, 3);
            var timed = LatencyTimer.time(() -> smartAnswer(northToken, ClinicFacts.HOURS_QUESTION, 3));

            var answer = timed.value();
            assertThat(answer.status()).as("smart answer %s", answer).isEqualTo(200);
            LatencyChart.attach("vector search (timings_ms.search), " + chunks + " chunks",
                    searchTime(answer), Budgets.SEED_VECTOR_SEARCH,
                    Budgets.VECTOR_SEARCH_CHECK);
            LatencyChart.attach("RAG round trip, LLM mocked", timed.elapsed(), Budgets.SEED_RAG, Budgets.RAG_CHECK);
            assertThat(sourceIds(answer).get(0)).as("the hours document, among %d other chunks", chunks)
                    .isEqualTo(northIds.get(0));
            assertThat(searchTime(answer))
                    .as("timings_ms.search (seed budget %s x %d)", Budgets.SEED_VECTOR_SEARCH, Budgets.MARGIN)
                    .isLessThan(Budgets.VECTOR_SEARCH_CHECK);
            assertThat(timed.elapsed()).as("the whole RAG round trip, LLM mocked (seed budget %s x %d)",
                    Budgets.SEED_RAG, Budgets.MARGIN).isLessThan(Budgets.RAG_CHECK);
        } finally {
            corpus.delete();
        }
    }

    @Test
    @AllureId("S3.5")
    @Story("Prompt")
    @Severity(SeverityLevel.BLOCKER)
    void theLlmGetsOnlyOwnContextAndItsAnswerIsReturned() {
        var llm = fx.llmOrSkip();
        String question = ClinicFacts.HOURS_QUESTION + " (caller " + UUID.randomUUID() + ")";
        String llmAnswer = "We open at nine on Saturday mornings. [" + UUID.randomUUID() + "]";
        llm.answers(question, llmAnswer);
        // Harbourview asks first, so its text has passed through the LLM path before Northside's question
        var harbourFirst = smartAnswer(harbourToken, ClinicFacts.HOURS_QUESTION + " (harbour " + UUID.randomUUID() + ")", 3);
        assertThat(harbourFirst.status()).as("Harbourview's question %s", harbourFirst).isEqualTo(200);

        var answer = smartAnswer(northToken, question, 3);

        assertThat(answer.status()).as("smart answer %s", answer).isEqualTo(200);
        assertThat(answer.json().getString("answer")).as("the answer is the LLM's, verbatim").isEqualTo(llmAnswer);
        var prompts = llm.promptsAbout(question);
        assertThat(prompts).as("chat-completions requests for this question").hasSize(1);
        assertThat(prompts.get(0)).as("the prompt carries the retrieved hours document")
                .contains("our doors open at 9am each Saturday");
        for (String foreign : HARBOURVIEW_MARKERS) {
            assertThat(prompts.get(0)).as("the prompt carries no Harbourview text").doesNotContain(foreign);
        }
    }

    private List<String> ingest(String token, ClinicFacts facts) {
        var ids = new ArrayList<String>();
        for (String document : facts.documents()) {
            var response = fx.api().postJson("/api/knowledge", Map.of("content", document, "title", "Clinic facts"), token);
            assertThat(response.status()).as("POST /api/knowledge %s", response).isEqualTo(201);
            List<String> stored = response.json().getList("ids", String.class);
            assertThat(stored).as("chunk ids of one short document").hasSize(1);
            ids.add(stored.get(0));
        }
        return ids;
    }

    private ApiResponse smartAnswer(String token, String question, int topK) {
        return fx.api().postJson("/api/smart-answer", Map.of("question", question, "top_k", topK), token);
    }

    private static List<String> sourceIds(ApiResponse response) {
        return response.json().getList("sources.id", String.class);
    }

    /** {@code timings_ms.search}, a JSON number of any kind: 4, 4.0 and 4.3 are all milliseconds (contract §1). */
    private static Duration searchTime(clinic.conformance.fixtures.vapi.ApiResponse answer) {
        return Duration.ofNanos(Math.round(answer.json().getDouble("timings_ms.search") * 1_000_000));
    }
}
