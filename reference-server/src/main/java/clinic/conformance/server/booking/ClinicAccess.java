package clinic.conformance.server.booking;

import clinic.conformance.server.auth.Claims;
import java.util.UUID;

/** Decides whether a token may act on a clinic; the contract's rule is that clinic_id equals the token's org_id. */
@FunctionalInterface
public interface ClinicAccess {
    boolean allows(Claims claims, UUID clinicId);

    static ClinicAccess ownOrgOnly() {
        return (claims, clinicId) -> claims.orgId().equals(clinicId);
    }
}
