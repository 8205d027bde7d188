-- Audit log: refused and sensitive actions, written only through record_audit(); members read their own org's rows. (S2.4, S4.6)
create table public.audit_log (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organizations (id) on delete cascade,
  actor_id uuid,
  action text not null check (char_length(action) between 1 and 100),
  target_org_id uuid,
  status text not null check (char_length(status) between 1 and 50),
  details jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now()
);
create index audit_log_org_created_idx on public.audit_log (org_id, created_at);

alter table public.audit_log enable row level security;
alter table public.audit_log force row level security;

create policy "members read the audit log of their own organization" on public.audit_log
  for select to authenticated
  using (org_id = (select auth.jwt() ->> 'org_id')::uuid);
-- Only the owner (through record_audit) has INSERT privilege; this keeps even it to the caller's org.
create policy "audit rows are written for the caller's organization" on public.audit_log
  for insert
  with check (org_id = (select auth.jwt() ->> 'org_id')::uuid);

revoke all on public.audit_log from public, anon, authenticated;
grant select on public.audit_log to authenticated;
grant select, insert, update, delete on public.audit_log to service_role;

-- The one way to write an audit row: actor and org come from the verified claims, never from the caller.
create function public.record_audit(action text, target_org_id uuid, status text, details jsonb default '{}'::jsonb)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  claims jsonb := auth.jwt();
  new_id uuid;
begin
  if claims is null or claims ->> 'org_id' is null then
    raise exception 'record_audit needs request.jwt.claims with org_id' using errcode = '42501';
  end if;
  insert into public.audit_log (org_id, actor_id, action, target_org_id, status, details)
  values ((claims ->> 'org_id')::uuid, nullif(claims ->> 'sub', '')::uuid, action, target_org_id, status,
          coalesce(details, '{}'::jsonb))
  returning id into new_id;
  return new_id;
end
$$;

revoke all on function public.record_audit(text, uuid, text, jsonb) from public, anon;
grant execute on function public.record_audit(text, uuid, text, jsonb) to authenticated, service_role;
