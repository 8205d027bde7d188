package clinic.conformance.server.calendar;

import static clinic.conformance.server.calendar.GoogleAnswer.Operation.DELETE;
import static clinic.conformance.server.calendar.GoogleAnswer.Operation.INSERT;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Google Calendar's documented answers, as the server reads them")
class GoogleAnswerTest {
    @ParameterizedTest(name = "{0} {1} {2} → {3}")
    @CsvSource(nullValues = "-", textBlock = """
            INSERT, 200, -,                        DONE
            INSERT, 409, duplicate,                DONE
            INSERT, 400, badRequest,               PERMANENT
            INSERT, 401, authError,                REFRESH_AND_RETRY
            INSERT, 403, userRateLimitExceeded,    RETRY
            INSERT, 403, rateLimitExceeded,        RETRY
            INSERT, 403, dailyLimitExceeded,       RETRY
            INSERT, 403, quotaExceeded,            RETRY
            INSERT, 403, forbiddenForNonOrganizer, PERMANENT
            INSERT, 403, insufficientPermissions,  PERMANENT
            INSERT, 403, -,                        PERMANENT
            INSERT, 404, notFound,                 RETRY
            INSERT, 410, deleted,                  PERMANENT
            INSERT, 412, conditionNotMet,          PERMANENT
            INSERT, 429, rateLimitExceeded,        RETRY
            INSERT, 500, backendError,             RETRY
            INSERT, 503, backendError,             RETRY
            DELETE, 204, -,                        DONE
            DELETE, 404, notFound,                 DONE
            DELETE, 410, deleted,                  DONE
            DELETE, 409, duplicate,                PERMANENT
            DELETE, 403, rateLimitExceeded,        RETRY
            DELETE, 403, forbiddenForNonOrganizer, PERMANENT
            DELETE, 500, backendError,             RETRY
            """)
    void eachAnswerIsReadAsGoogleDocumentsIt(GoogleAnswer.Operation operation, int status, String reason,
                                             GoogleAnswer expected) {
        assertThat(GoogleAnswer.read(operation, status, reason)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"INSERT", "DELETE"})
    void aRateLimitReasonOnAnotherStatusDoesNotMakeItRetryable(GoogleAnswer.Operation operation) {
        assertThat(GoogleAnswer.read(operation, 400, "rateLimitExceeded")).isEqualTo(GoogleAnswer.PERMANENT);
        assertThat(GoogleAnswer.read(INSERT, 403, "rateLimitExceeded")).isEqualTo(GoogleAnswer.RETRY);
        assertThat(GoogleAnswer.read(DELETE, 404, null)).isEqualTo(GoogleAnswer.DONE);
    }
}
