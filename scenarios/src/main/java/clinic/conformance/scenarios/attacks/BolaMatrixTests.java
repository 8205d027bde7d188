package clinic.conformance.scenarios.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.conformance.fixtures.ConformanceTest;
import clinic.conformance.fixtures.Fixtures;
import clinic.conformance.fixtures.seed.Clinic;
import clinic.conformance.fixtures.seed.TenantRows;
import clinic.conformance.fixtures.vapi.ApiResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qameta.allure.AllureId;
import io.qameta.allure.Feature;
import io.restassured.RestAssured;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * X2: the BOLA matrix (OWASP API1:2023), built from the target's own {@code /openapi.json}: every operation that takes
 * an id or an org, called with user A's token and org B's ids, documented methods and the others. A new endpoint is
 * covered without a new test.
 */
@ConformanceTest
@DisplayName("X2 BOLA matrix")
@Tag("extended")
@Tag("X2")
@Feature("X2 BOLA matrix")
class BolaMatrixTests {
    private static final Set<String> PROBED_METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Fixtures fx;
    private Clinic clinicA;
    private Clinic clinicB;
    private TenantRows rowsB;
    private String tokenA;

    BolaMatrixTests(Fixtures fixtures) {
        this.fx = fixtures;
    }

    @BeforeAll
    void seed() {
        clinicA = fx.seed().clinic("BOLA attacker").insert();
        clinicB = fx.seed().clinic("BOLA victim").insert();
        fx.seed().rowsIn(clinicA);
        rowsB = fx.seed().rowsIn(clinicB);
        tokenA = fx.tokens().of(clinicA.admin());
    }

    @AfterAll
    void cleanUp() {
        fx.seed().cleanUp(clinicA, clinicB);
    }

    /** One call of the matrix. */
    record Probe(String method, String path, boolean documented, JsonNode operation) {
        boolean templated() {
            return path.contains("{");
        }

        boolean carriesOrg() {
            return operation != null && operation.has("x-conformance-org-fields");
        }
    }

    @TestFactory
    @AllureId("X2")
    Stream<DynamicTest> everyOperationWithOrgBsIds() throws Exception {
        var spec = fx.api().get("/openapi.json", tokenA);
        assertThat(spec.status()).as("GET /openapi.json: the matrix is built from it").isEqualTo(200);
        var probes = probes(MAPPER.readTree(spec.body()));
        assertThat(probes).as("operations that take an id or an org").isNotEmpty();
        var tests = new ArrayList<DynamicTest>();
        for (int i = 0; i < probes.size(); i++) {
            Probe probe = probes.get(i);
            String name = "X2." + (i + 1) + " " + probe.method() + " " + probe.path() + " with org B's "
                    + (probe.templated() ? "id" : probe.carriesOrg() ? "clinic" : "data in view")
                    + (probe.documented() ? "" : " (undocumented method)");
            tests.add(DynamicTest.dynamicTest(name, () -> attack(probe)));
        }
        return tests.stream();
    }

    private List<Probe> probes(JsonNode spec) {
        var sorted = new TreeMap<String, JsonNode>();
        spec.path("paths").fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
        var probes = new ArrayList<Probe>();
        sorted.forEach((path, item) -> {
            if (path.startsWith("/auth/") || path.equals("/health") || path.equals("/openapi.json")) {
                return;
            }
            var documented = new TreeMap<String, JsonNode>();
            item.fields().forEachRemaining(e -> documented.put(e.getKey().toUpperCase(java.util.Locale.ROOT), e.getValue()));
            if (path.contains("{")) {
                for (String method : new java.util.TreeSet<>(PROBED_METHODS)) {
                    probes.add(new Probe(method, path, documented.containsKey(method), documented.get(method)));
                }
                return;
            }
            documented.forEach((method, operation) -> {
                boolean list = method.equals("GET");
                if (list || operation.has("x-conformance-org-fields")) {
                    probes.add(new Probe(method, path, true, operation));
                }
            });
        });
        return probes;
    }

    private void attack(Probe probe) {
        var before = snapshotOfB();
        OffsetDateTime started = OffsetDateTime.now().minusSeconds(2);
        UUID victimId = victimIdFor(probe.path());
        ApiResponse response = call(probe, victimId);

        if (probe.templated() || probe.carriesOrg()) {
            assertThat(response.status() / 100).as("%s %s with B's id, status class: %s", probe.method(), probe.path(),
                    response).isNotEqualTo(2);
        }
        assertThat(response.body()).as("B's data in the body").doesNotContain(markersOfB(victimId));
        if (probe.templated() && probe.documented()) {
            var random = call(probe, UUID.randomUUID());
            assertThat(response.status()).as("B's id answers like an id that does not exist (%s)", random).isEqualTo(random.status());
            assertThat(response.status()).as("existence never leaks").isEqualTo(404);
        }
        if ((probe.templated() && probe.documented()) || probe.carriesOrg()) {
            // in A's chain where A named B itself (403), in B's chain where A reached for B's row (404)
            assertThat(fx.database().count("select count(*) from public.audit_log where actor_id = any(?) "
                    + "and target_org_id = ? and created_at >= ?", fx.api().actorsOf(clinicA.admin()), clinicB.id(), started))
                    .as("audit rows for the attempt").isPositive();
        }
        assertThat(snapshotOfB()).as("org B's rows after the attempt").isEqualTo(before);
        if (probe.templated()) {
            assertThat(auditSeenBy(tokenA)).as("A's view of the audit log learns nothing from a miss on B's id")
                    .doesNotContain(clinicB.id().toString());
        }
    }

    private String auditSeenBy(String token) {
        return fx.api().get("/api/audit", token).body();
    }

    private ApiResponse call(Probe probe, UUID victimId) {
        String path = probe.path().replaceAll("\\{[^}]+}", victimId.toString());
        var request = RestAssured.given().baseUri(fx.target().url().toString()).header("Authorization", "Bearer " + tokenA)
                .contentType("application/json").urlEncodingEnabled(false);
        if (probe.method().equals("GET") && !probe.templated()) {
            request.queryParam("from", "2000-01-01T00:00:00Z").queryParam("to", "2100-01-01T00:00:00Z");
        }
        if (!probe.method().equals("GET") && !probe.method().equals("DELETE")) {
            request.body(probe.carriesOrg() ? fx.api().book(providerOfB()).payload() : "{}");
        }
        var response = request.request(probe.method(), path);
        var answer = new ApiResponse(response.statusCode(), response.asString(), response.contentType());
        // the tools endpoint answers a refusal as the certified profile says: a status, or 200 with its error_code
        return path.equals(fx.api().toolsPath()) ? answer.readUnder(fx.api().profile()) : answer;
    }

    private UUID victimIdFor(String path) {
        String[] segments = path.split("/");
        for (int i = 1; i < segments.length; i++) {
            if (segments[i].startsWith("{")) {
                UUID id = rowsB.ids().get(segments[i - 1]);
                return id == null ? rowsB.ids().get("organizations") : id;
            }
        }
        return rowsB.ids().get("organizations");
    }

    private clinic.conformance.fixtures.seed.Member providerOfB() {
        return new clinic.conformance.fixtures.seed.Member(rowsB.ids().get("profiles"), clinicB.id(), "b@x", "provider");
    }

    private String[] markersOfB(UUID inThePath) {
        var markers = new ArrayList<String>();
        markers.add(clinicB.name());
        markers.add(clinicB.admin().email());
        rowsB.ids().values().stream().filter(id -> !id.equals(inThePath)).map(UUID::toString).forEach(markers::add);
        return markers.toArray(String[]::new);
    }

    private Map<String, List<String>> snapshotOfB() {
        var snapshot = new TreeMap<String, List<String>>();
        // B's audit chain may grow (it records the attempt); everything else of B's must stay as it was
        fx.database().tenantTables().entrySet().stream().filter(t -> !t.getKey().equals("audit_log"))
                .forEach(t -> snapshot.put(t.getKey(), fx.database().snapshot(t.getKey(), t.getValue(), clinicB.id())));
        return snapshot;
    }
}
