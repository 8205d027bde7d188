-- Tamper-evident audit log: each row carries a hash over its content and the previous row's hash, per org. (S4.6, X4)
alter table public.audit_log
  add column seq bigint generated always as identity,
  add column prev_hash text,
  add column row_hash text;
create unique index audit_log_org_seq_idx on public.audit_log (org_id, seq);

-- row_hash = sha256 of: prev_hash ('' for an org's first row) | id | org_id | actor_id | action | target_org_id |
-- status | details (jsonb text) | created_at (UTC, microseconds), joined by '|'. docs/decisions.md states it too.
create or replace function public.record_audit(action text, target_org_id uuid, status text, details jsonb default '{}'::jsonb)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  claims jsonb := auth.jwt();
  org uuid;
  new_id uuid := gen_random_uuid();
  at timestamptz := clock_timestamp();
  previous text;
  body jsonb := coalesce(details, '{}'::jsonb);
begin
  if claims is null or claims ->> 'org_id' is null then
    raise exception 'record_audit needs request.jwt.claims with org_id' using errcode = '42501';
  end if;
  org := (claims ->> 'org_id')::uuid;
  -- one writer per org at a time, so the chain never forks
  perform pg_advisory_xact_lock(hashtextextended('audit_log:' || org::text, 0));
  select a.row_hash into previous from public.audit_log a where a.org_id = org order by a.seq desc limit 1;
  insert into public.audit_log (id, org_id, actor_id, action, target_org_id, status, details, created_at, prev_hash, row_hash)
  values (new_id, org, nullif(claims ->> 'sub', '')::uuid, action, target_org_id, status, body, at, coalesce(previous, ''),
          encode(sha256(convert_to(concat_ws('|', coalesce(previous, ''), new_id::text, org::text,
            coalesce(nullif(claims ->> 'sub', '')::uuid::text, ''), action, coalesce(target_org_id::text, ''), status, body::text,
            to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')), 'UTF8')), 'hex'));
  return new_id;
end
$$;

revoke all on function public.record_audit(text, uuid, text, jsonb) from public, anon;
grant execute on function public.record_audit(text, uuid, text, jsonb) to authenticated, service_role;
