-- Appointments: bookings made by the voice assistant; the overlap guarantee lives here, not in the server. (S2.1-S2.8)

-- timestamptz + interval is only STABLE in general (day/month steps depend on the time zone);
-- adding whole minutes never does, so this helper is truly immutable and may back a stored column.
create function public.appointment_ends_at(starts_at timestamptz, minutes integer)
returns timestamptz
language sql immutable parallel safe
set search_path = ''
as $$
  select starts_at + make_interval(mins => minutes)
$$;

create table public.appointments (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organizations (id) on delete cascade,
  clinic_id uuid not null,
  provider_id uuid not null,
  patient_name text not null check (char_length(patient_name) between 1 and 200),
  patient_email text not null check (patient_email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' and char_length(patient_email) <= 320),
  scheduled_at timestamptz not null,
  duration_minutes integer not null default 30 check (duration_minutes between 5 and 480),
  ends_at timestamptz not null generated always as (public.appointment_ends_at(scheduled_at, duration_minutes)) stored,
  status text not null default 'booked' check (status in ('booked', 'cancelled', 'completed')),
  google_calendar_event_id text not null,
  vapi_call_id text,
  vapi_tool_call_id text,
  created_by uuid,
  created_at timestamptz not null default now(),
  constraint appointments_clinic_is_org check (clinic_id = org_id),
  -- the provider must be a profile of the same organization
  constraint appointments_provider_in_org foreign key (provider_id, org_id)
    references public.profiles (id, org_id) on delete cascade,
  constraint appointments_tool_call_once unique (org_id, vapi_tool_call_id),
  -- SPEC §1: no double booking under any concurrency; half-open intervals, only booked rows hold a slot
  constraint appointments_no_overlap exclude using gist (
    provider_id with =,
    tstzrange(scheduled_at, ends_at, '[)') with &&
  ) where (status = 'booked')
);
create index appointments_org_scheduled_idx on public.appointments (org_id, scheduled_at);

alter table public.appointments enable row level security;
alter table public.appointments force row level security;

create policy "members see appointments of their own organization" on public.appointments
  for select to authenticated
  using (org_id = (select auth.jwt() ->> 'org_id')::uuid);
create policy "members book only into their own organization" on public.appointments
  for insert to authenticated
  with check (org_id = (select auth.jwt() ->> 'org_id')::uuid);
create policy "members update only appointments of their own organization" on public.appointments
  for update to authenticated
  using (org_id = (select auth.jwt() ->> 'org_id')::uuid)
  with check (org_id = (select auth.jwt() ->> 'org_id')::uuid);
create policy "members delete only appointments of their own organization" on public.appointments
  for delete to authenticated
  using (org_id = (select auth.jwt() ->> 'org_id')::uuid);

grant select, insert, update, delete on public.appointments to authenticated, service_role;
