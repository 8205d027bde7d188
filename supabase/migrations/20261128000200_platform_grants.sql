-- Contract §2 v2: Supabase grants anon and authenticated everything on every new table and function in public, and the
-- Data API publishes it all. Take back what is not meant: nothing for anon on tenant tables; no TRUNCATE, REFERENCES
-- or TRIGGER for anyone but the owner; EXECUTE on a definer function only where a direct call with any arguments is
-- safe. (P1.1, P1.2)
revoke all on public.organizations, public.profiles, public.appointments, public.calendar_events,
  public.knowledge_base, public.audit_log from public, anon, authenticated, service_role;

grant select, insert, update, delete on public.organizations, public.appointments, public.calendar_events,
  public.knowledge_base to authenticated, service_role;
grant select, insert, delete on public.profiles to authenticated;
grant update (full_name, email) on public.profiles to authenticated;
grant select, insert, update, delete on public.profiles to service_role;
grant select on public.audit_log to authenticated;
grant select, insert, update, delete on public.audit_log to service_role;

revoke execute on all functions in schema public from public, anon, authenticated;

-- a pure function of its arguments: the overlap exclusion evaluates it for whoever books
grant execute on function public.appointment_ends_at(timestamptz, integer) to authenticated, service_role;
-- the audit log is written by the server's privileged path on a member's behalf, never by a member's own call
grant execute on function public.record_audit(text, uuid, text, jsonb) to service_role;
grant execute on function public.record_cross_org_attempt(uuid, uuid, uuid, text, text, jsonb) to service_role;
-- Supabase Auth calls the hook as supabase_auth_admin
grant execute on function public.custom_access_token_hook(jsonb) to supabase_auth_admin, service_role;
