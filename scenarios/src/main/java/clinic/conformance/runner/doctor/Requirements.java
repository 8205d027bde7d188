package clinic.conformance.runner.doctor;

import static clinic.conformance.runner.doctor.Requirement.Kind.COLUMN;
import static clinic.conformance.runner.doctor.Requirement.Kind.ENDPOINT;
import static clinic.conformance.runner.doctor.Requirement.Kind.FUNCTION;
import static clinic.conformance.runner.doctor.Requirement.Kind.TABLE;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything the harness reads or seeds through in a target's database, and every endpoint it calls: the one list
 * {@code docs/requirements-for-targets.md} is checked against and {@code ./harness doctor} checks a target against.
 */
public final class Requirements {
    public static final List<Requirement> ALL = build();

    /** What a run needs: everything with {@code --extended}, else what the core scenarios and seeding read. */
    public static List<Requirement> forRun(boolean extended) {
        return ALL.stream().filter(requirement -> extended || !requirement.extendedOnly()).toList();
    }

    private Requirements() {
    }

    private static List<Requirement> build() {
        var all = new ArrayList<Requirement>();
        table(all, "public.organizations", "§2", "seeding, S1.1, S1.4, S4", "id", "name");
        table(all, "public.profiles", "§2", "seeding, S1.3, S2.6", "id", "org_id", "email", "full_name", "role");
        table(all, "public.appointments", "§1 book_appointment, §2", "S2, S4, P1.5",
                "id", "org_id", "clinic_id", "provider_id", "patient_name", "patient_email", "scheduled_at",
                "duration_minutes", "status", "google_calendar_event_id", "vapi_call_id", "vapi_tool_call_id");
        table(all, "public.calendar_events", "§1 Google Calendar, §2 outbox", "S2.1, X5, seeding",
                "id", "org_id", "appointment_id", "google_event_id", "calendar_id", "status", "attempts",
                "next_attempt_at", "last_error", "synced_at");
        table(all, "public.knowledge_base", "§1 Smart answer, §2", "S3, seeding",
                "id", "org_id", "title", "content", "content_hash", "embedding", "embedding_model");
        table(all, "public.audit_log", "§2 audit_log", "S2.4, S4.6, X1, X2, X4",
                "id", "org_id", "actor_id", "action", "target_org_id", "status", "details", "created_at");
        table(all, "auth.users", "§2 (Supabase Auth)", "seeding, S1",
                "id", "email", "raw_app_meta_data", "raw_user_meta_data");
        for (String column : new String[] {"seq", "prev_hash", "row_hash"}) {
            all.add(new Requirement(COLUMN, "public.audit_log." + column, "§2 audit_log (v3 chain)", "X4", true));
        }
        all.add(new Requirement(FUNCTION, "public.record_audit(text, uuid, text, jsonb)", "§2 audit_log", "seeding"));
        all.add(new Requirement(FUNCTION, "public.custom_access_token_hook(jsonb)", "§1 Identity", "S1.2"));
        all.add(new Requirement(FUNCTION, "auth.jwt()", "§2 (Supabase Auth)", "S1.4, S4"));
        endpoint(all, "GET /health", "§1 Other", "every run (reachability, version)");
        endpoint(all, "POST /api/vapi/tools", "§1 POST /api/vapi/tools", "S2, S4.5, X, V");
        endpoint(all, "POST /api/knowledge", "§1 Smart answer", "S3");
        endpoint(all, "POST /api/smart-answer", "§1 Smart answer", "S3");
        endpoint(all, "GET /api/appointments", "§1 Other", "S1.4, S2.8");
        endpoint(all, "POST /auth/v1/signup", "§1 Identity", "S1.1");
        endpoint(all, "POST /auth/v1/token", "§1 Identity", "S1.2");
        endpoint(all, "GET /auth/v1/user", "§1 Identity", "P2");
        endpoint(all, "PUT /auth/v1/user", "§1 Identity", "P2");
        endpoint(all, "POST /auth/v1/logout", "§1 Identity", "P1.6");
        endpoint(all, "POST /auth/v1/admin/users", "§1 Identity", "seeding with the service key, P2.3");
        all.add(new Requirement(ENDPOINT, "POST /api/vapi/credentials", "§1 Authentication (v2 Vapi credential)",
                "V2, P3.4", true));
        all.add(new Requirement(ENDPOINT, "POST /oauth/token", "§1 Authentication (v2 Vapi credential)", "V2", true));
        return List.copyOf(all);
    }

    private static void table(List<Requirement> all, String table, String section, String usedBy, String... columns) {
        all.add(new Requirement(TABLE, table, section, usedBy));
        for (String column : columns) {
            all.add(new Requirement(COLUMN, table + "." + column, section, usedBy));
        }
    }

    private static void endpoint(List<Requirement> all, String endpoint, String section, String usedBy) {
        all.add(new Requirement(ENDPOINT, endpoint, section, usedBy));
    }
}
