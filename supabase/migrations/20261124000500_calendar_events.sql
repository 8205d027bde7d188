-- Calendar events: the outbox that syncs each appointment to Google Calendar, retried with backoff. (S2.1)
create table public.calendar_events (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organizations (id) on delete cascade,
  appointment_id uuid not null unique references public.appointments (id) on delete cascade,
  google_event_id text not null check (google_event_id ~ '^[a-v0-9]+$' and char_length(google_event_id) between 5 and 1024),
  calendar_id text not null,
  status text not null default 'pending' check (status in ('pending', 'synced', 'failed')),
  attempts integer not null default 0 check (attempts >= 0),
  next_attempt_at timestamptz not null default now(),
  last_error text,
  html_link text,
  synced_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index calendar_events_due_idx on public.calendar_events (next_attempt_at) where status = 'pending';
create index calendar_events_org_id_idx on public.calendar_events (org_id);

alter table public.calendar_events enable row level security;
alter table public.calendar_events force row level security;

create policy "members see calendar events of their own organization" on public.calendar_events
  for select to authenticated
  using (org_id = (select auth.jwt() ->> 'org_id')::uuid);
create policy "members insert calendar events only into their own organization" on public.calendar_events
  for insert to authenticated
  with check (org_id = (select auth.jwt() ->> 'org_id')::uuid);
create policy "members update only calendar events of their own organization" on public.calendar_events
  for update to authenticated
  using (org_id = (select auth.jwt() ->> 'org_id')::uuid)
  with check (org_id = (select auth.jwt() ->> 'org_id')::uuid);
create policy "members delete only calendar events of their own organization" on public.calendar_events
  for delete to authenticated
  using (org_id = (select auth.jwt() ->> 'org_id')::uuid);

grant select, insert, update, delete on public.calendar_events to authenticated, service_role;
