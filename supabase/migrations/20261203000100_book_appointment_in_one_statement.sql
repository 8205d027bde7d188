-- The booking in one round trip (docs/profile.md, issue 25): the replay lookup, the provider check, the slot's locks,
-- the INSERT and its outbox row in one call, run as the caller. SECURITY INVOKER: the server sets the member's role and
-- claims first (in the same batch), so RLS, the exclusion constraint and the replay key decide exactly as they do for
-- the same statements sent one by one — and a member calling it through the Data API can do no more than insert the
-- row itself. (S2.1-S2.8, X6)
create function public.book_appointment(
  appointment_id uuid, clinic uuid, provider uuid, patient text, email text, starts_at timestamptz,
  minutes integer, event_id text, call_id text, tool_call_id text, calendar text, first_attempt_hold_ms integer)
returns table (outcome text, id uuid, org_id uuid, clinic_id uuid, provider_id uuid, patient_name text,
               patient_email text, scheduled_at timestamptz, duration_minutes integer, status text,
               google_calendar_event_id text, vapi_call_id text, vapi_tool_call_id text, created_at timestamptz,
               sync_status text, synced_at timestamptz, html_link text)
language plpgsql
security invoker
set search_path = ''
as $$
#variable_conflict use_column
declare
  caller_org uuid := (select auth.jwt() ->> 'org_id')::uuid;
  caller uuid := (select auth.jwt() ->> 'sub')::uuid;
begin
  -- contract §1: a replayed toolCallId returns the first result and creates nothing
  return query
    select 'replayed', a.id, a.org_id, a.clinic_id, a.provider_id, a.patient_name, a.patient_email, a.scheduled_at,
           a.duration_minutes, a.status, a.google_calendar_event_id, a.vapi_call_id, a.vapi_tool_call_id, a.created_at,
           e.status, e.synced_at, e.html_link
    from public.appointments a left join public.calendar_events e on e.appointment_id = a.id
    where a.org_id = caller_org and a.vapi_tool_call_id = book_appointment.tool_call_id;
  if found then
    return;
  end if;
  if not exists (select 1 from public.profiles p
                 where p.id = provider and p.org_id = caller_org and p.role = 'provider') then
    return query select 'provider_not_found', null::uuid, null::uuid, null::uuid, null::uuid, null::text, null::text,
                        null::timestamptz, null::integer, null::text, null::text, null::text, null::text,
                        null::timestamptz, null::text, null::timestamptz, null::text;
    return;
  end if;
  -- overlapping bookings queue on one lock per quarter hour (UTC) the slot touches, in ascending order, before the
  -- exclusion check: concurrent overlapping inserts would otherwise deadlock in it
  perform pg_advisory_xact_lock(hashtextextended('appointments:' || provider || ':' || quarter, 0))
  from generate_series(floor(extract(epoch from starts_at) / 900)::bigint,
                       floor((extract(epoch from starts_at) + minutes * 60 - 0.000001) / 900)::bigint) as quarter;
  return query
    with booked as (
      insert into public.appointments (id, org_id, clinic_id, provider_id, patient_name, patient_email, scheduled_at,
                                       duration_minutes, google_calendar_event_id, vapi_call_id, vapi_tool_call_id,
                                       created_by)
      values (appointment_id, caller_org, clinic, provider, patient, email, starts_at, minutes, event_id, call_id,
              tool_call_id, caller)
      returning *),
    queued as (
      insert into public.calendar_events (org_id, appointment_id, google_event_id, calendar_id, next_attempt_at)
      select b.org_id, b.id, event_id, calendar, now() + make_interval(secs => first_attempt_hold_ms / 1000.0)
      from booked b
      returning calendar_events.status)
    select 'booked', b.id, b.org_id, b.clinic_id, b.provider_id, b.patient_name, b.patient_email, b.scheduled_at,
           b.duration_minutes, b.status, b.google_calendar_event_id, b.vapi_call_id, b.vapi_tool_call_id, b.created_at,
           q.status, null::timestamptz, null::text
    from booked b cross join queued q;
end
$$;

revoke execute on function public.book_appointment(uuid, uuid, uuid, text, text, timestamptz, integer, text, text, text,
  text, integer) from public, anon;
grant execute on function public.book_appointment(uuid, uuid, uuid, text, text, timestamptz, integer, text, text, text,
  text, integer) to authenticated;
