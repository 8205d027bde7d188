package clinic.conformance.scenarios.platform;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.conformance.fixtures.Fixtures;
import clinic.conformance.fixtures.auth.AuthClient;
import clinic.conformance.fixtures.auth.SignUp;
import clinic.conformance.fixtures.seed.Clinic;
import clinic.conformance.fixtures.seed.Member;
import clinic.conformance.fixtures.target.ApiKeyKind;
import io.qameta.allure.AllureId;
import io.qameta.allure.Feature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * P1.7–P1.9: a Supabase project as it is in 2026 (contract §1 Identity, v4) — the gateway that takes the new API
 * keys only where the platform does, and sessions that die as GoTrue kills them: a signed-out session's access token
 * gets no user from the auth API, in each scope of {@code /logout}, and a refresh token reused after the reuse
 * interval ends its whole session.
 */
@clinic.conformance.fixtures.ConformanceTest
@DisplayName("P1 Supabase platform: keys and sessions")
@Tag("extended")
@Tag("P1")
@Feature("P1 Supabase platform")
public class SessionsAndKeysTests {
    private static final String PASSWORD = "a long enough password";
    private final Fixtures fx;
    private final List<Clinic> made = new ArrayList<>();
    private String reuser;
    private AuthClient.Answer spent;
    private AuthClient.Answer current;
    private Instant spentAt;

    SessionsAndKeysTests(Fixtures fixtures) {
        this.fx = fixtures;
    }

    /** P1.9's first refreshes happen here, so its wait past the reuse interval overlaps the other checks. */
    private Duration reuseInterval() {
        return fx.options().refreshReuse();
    }

    @BeforeAll
    void spendARefreshToken() {
        reuser = person("reuse");
        if (reuser == null) {
            return;
        }
        spent = fx.auth().signIn(reuser, PASSWORD);
        var middle = fx.auth().refresh(spent.refreshToken());
        spentAt = Instant.now();
        current = middle.status() == 200 ? fx.auth().refresh(middle.refreshToken()) : middle;
    }

    @AfterAll
    void cleanUp() {
        made.forEach(clinic -> fx.seed().cleanUp(clinic));
    }

    @Test
    @AllureId("P1.7")
    void theGatewayTakesKeysOnlyWhereThePlatformDoes() {
        var auth = fx.auth();
        Assumptions.assumeTrue(ApiKeyKind.of(auth.serviceKey()) == ApiKeyKind.SECRET
                        && ApiKeyKind.of(auth.anonKey()) == ApiKeyKind.PUBLISHABLE,
                "needs the project's new-style keys (CONFORMANCE_SERVICE_KEY=sb_secret_…, CONFORMANCE_ANON_KEY=sb_publishable_…)");
        String secret = auth.serviceKey().orElseThrow();
        String publishable = auth.anonKey().orElseThrow();
        String nobody = "/admin/users/" + UUID.randomUUID();

        // the keys travel as Bearers here: none of these requests is attached to the report
        var taken = auth.exchange("GET", nobody, null, secret, null, false);
        var noKey = auth.exchange("GET", nobody, null, null, null, false);
        var bearerOnly = auth.exchange("GET", nobody, null, null, secret, false);
        var foreignBearer = auth.exchange("GET", nobody, null, publishable, secret, false);
        var fromBrowser = auth.exchange("GET", nobody, null, secret, null,
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36", false);

        assertThat(taken.status()).as("the secret key in apikey alone, for an unknown user (the platform's own "
                + "test of a key): %s", taken).isEqualTo(404);
        assertThat(noKey.status()).as("no apikey at all: %s", noKey).isEqualTo(401);
        assertThat(bearerOnly.status()).as("the secret key only as a Bearer, no apikey: %s", bearerOnly).isEqualTo(401);
        assertThat(foreignBearer.status()).as("apikey the publishable key, Bearer the secret key (a Bearer that is not "
                + "a JWT must be the same key as apikey): %s", foreignBearer).isIn(401, 403);
        assertThat(fromBrowser.status()).as("the secret key from a browser's User-Agent: %s", fromBrowser).isEqualTo(401);
    }

    @Test
    @AllureId("P1.8")
    void signedOutSessionsGetNoUser() {
        String email = person("scopes");
        Assumptions.assumeTrue(email != null, "the sign-up could not be signed in (see P1.6)");
        var first = fx.auth().signIn(email, PASSWORD);
        var second = fx.auth().signIn(email, PASSWORD);
        var third = fx.auth().signIn(email, PASSWORD);

        var local = fx.auth().signOut(first.accessToken(), "local");
        var firstAfterLocal = fx.auth().user(first.accessToken());
        var secondAfterLocal = fx.auth().user(second.accessToken());
        var others = fx.auth().signOut(second.accessToken(), "others");
        var thirdAfterOthers = fx.auth().user(third.accessToken());
        var thirdRefresh = fx.auth().refresh(third.refreshToken());
        var secondAfterOthers = fx.auth().user(second.accessToken());
        var fourth = fx.auth().signIn(email, PASSWORD);
        var global = fx.auth().signOut(second.accessToken(), "global");
        var secondAfterGlobal = fx.auth().user(second.accessToken());
        var fourthAfterGlobal = fx.auth().user(fourth.accessToken());
        var fourthRefresh = fx.auth().refresh(fourth.refreshToken());

        assertThat(List.of(local.status() / 100, others.status() / 100, global.status() / 100))
                .as("the three sign-outs: %s, %s, %s", local, others, global).containsOnly(2);
        assertNoUser(firstAfterLocal, "GET /user with the access token of a session signed out with scope=local");
        assertThat(secondAfterLocal.status()).as("another session of the user after scope=local: %s", secondAfterLocal)
                .isEqualTo(200);
        assertNoUser(thirdAfterOthers, "GET /user with a session signed out by scope=others from another session");
        assertThat(thirdRefresh.accessToken()).as("refreshing that session: %s", thirdRefresh).isNull();
        assertThat(secondAfterOthers.status()).as("the session that said scope=others: %s", secondAfterOthers)
                .isEqualTo(200);
        assertNoUser(secondAfterGlobal, "GET /user with the session that signed out with scope=global");
        assertNoUser(fourthAfterGlobal, "GET /user with another device's session after scope=global");
        assertThat(fourthRefresh.accessToken()).as("refreshing another device's session after scope=global: %s",
                fourthRefresh).isNull();
    }

    @Test
    @AllureId("P1.9")
    void aReusedRefreshTokenEndsTheSession() throws InterruptedException {
        Assumptions.assumeTrue(reuser != null, "the sign-up could not be signed in (see P1.6)");
        assertThat(current.status()).as("two refreshes in a row: %s", current).isEqualTo(200);
        Duration left = Duration.between(Instant.now(), spentAt.plus(reuseInterval()).plusSeconds(1));
        if (!left.isNegative()) {
            Thread.sleep(left.toMillis());
        }

        var reused = fx.auth().refresh(spent.refreshToken());
        // GoTrue marks the revoked family as updated now, and any token is reusable for the interval after its
        // revocation: the family's end shows once that interval has passed too
        Thread.sleep(reuseInterval().plusSeconds(1).toMillis());
        var afterReuse = fx.auth().refresh(current.refreshToken());

        assertThat(reused.accessToken()).as("the first refresh token again, %s s after it was spent: %s",
                reuseInterval().toSeconds() + 1, reused).isNull();
        assertThat(reused.status()).as("its answer").isEqualTo(400);
        assertThat(afterReuse.accessToken()).as("the session's current refresh token, past the reuse interval after the "
                + "reuse (GoTrue revokes the whole family): %s", afterReuse).isNull();
    }

    private static void assertNoUser(AuthClient.Answer answer, String what) {
        assertThat(answer.status()).as("%s: %s", what, answer).isIn(401, 403);
        assertThat(answer.json().getString("id")).as("%s: a user in the answer", what).isNull();
    }

    /** A fresh user who signed up as a person does (confirmed where asked); null where none can sign in. */
    private String person(String label) {
        String email = label + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        var signedUp = fx.auth().signUp(email, PASSWORD, "Sessions " + label, "Dr. " + label);
        if (signedUp.status() != 200 || signedUp.userId() == null) {
            return null;
        }
        var org = fx.database().rows("select org_id from public.profiles where id = ?::uuid", signedUp.userId());
        if (!org.isEmpty()) {
            UUID orgId = (UUID) org.get(0).get("org_id");
            made.add(new Clinic(orgId, "Sessions " + label, new Member(UUID.fromString(signedUp.userId()), orgId, email,
                    "admin")));
        }
        return SignUp.of(fx.auth(), email, PASSWORD, signedUp).notSignedIn().isEmpty() ? email : null;
    }
}
