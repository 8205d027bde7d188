package clinic.conformance.server.calendar;

/**
 * The bearer token for Google Calendar. Google answers 401 when it expired or was revoked, and says what to do:
 * get a new access token with the long-lived refresh token ({@link OAuthRefreshToken}), then retry.
 */
public interface GoogleToken {
    /** The token to send now; empty when the server has none. */
    String current();

    /** Google refused {@code token} with 401: the next {@link #current()} is a fresh one where that is possible. */
    void refused(String token);

    /** A fixed token ({@code GOOGLE_CALENDAR_TOKEN}): nothing to refresh it with. */
    static GoogleToken fixed(String token) {
        return new GoogleToken() {
            @Override
            public String current() {
                return token == null ? "" : token;
            }

            @Override
            public void refused(String refusedToken) {
                // no refresh token: the next attempt, after backoff, sends the same token
            }
        };
    }
}
