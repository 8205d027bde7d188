-- Attempts on another org's rows are recorded in the victim org's audit chain: its admins learn of them, and the
-- attacker's own audit view reveals nothing about which ids exist elsewhere. (S4.6, X2)

-- The one writer of audit rows: appends to an org's hash chain (formula in 20261124001000_audit_hash_chain.sql).
create function public.append_audit(org uuid, actor uuid, action text, target_org_id uuid, status text, details jsonb)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  new_id uuid := gen_random_uuid();
  at timestamptz := clock_timestamp();
  previous text;
  body jsonb := coalesce(details, '{}'::jsonb);
begin
  perform pg_advisory_xact_lock(hashtextextended('audit_log:' || org::text, 0));
  select a.row_hash into previous from public.audit_log a where a.org_id = org order by a.seq desc limit 1;
  insert into public.audit_log (id, org_id, actor_id, action, target_org_id, status, details, created_at, prev_hash, row_hash)
  values (new_id, org, actor, action, target_org_id, status, body, at, coalesce(previous, ''),
          encode(sha256(convert_to(concat_ws('|', coalesce(previous, ''), new_id::text, org::text,
            coalesce(actor::text, ''), action, coalesce(target_org_id::text, ''), status, body::text,
            to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')), 'UTF8')), 'hex'));
  return new_id;
end
$$;
revoke all on function public.append_audit(uuid, uuid, text, uuid, text, jsonb) from public, anon, authenticated;

create or replace function public.record_audit(action text, target_org_id uuid, status text, details jsonb default '{}'::jsonb)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  claims jsonb := auth.jwt();
begin
  if claims is null or claims ->> 'org_id' is null then
    raise exception 'record_audit needs request.jwt.claims with org_id' using errcode = '42501';
  end if;
  return public.append_audit((claims ->> 'org_id')::uuid, nullif(claims ->> 'sub', '')::uuid, action, target_org_id,
                             status, details);
end
$$;

-- Service only: the server found that the caller's request touched another org's row.
create function public.record_cross_org_attempt(victim_org uuid, actor uuid, actor_org uuid, action text, status text,
                                                details jsonb default '{}'::jsonb)
returns uuid
language sql
security definer
set search_path = ''
as $$
  select public.append_audit(victim_org, actor, action, victim_org, status,
                             coalesce(details, '{}'::jsonb) || jsonb_build_object('actor_org_id', actor_org))
$$;
revoke all on function public.record_cross_org_attempt(uuid, uuid, uuid, text, text, jsonb) from public, anon, authenticated;
grant execute on function public.record_cross_org_attempt(uuid, uuid, uuid, text, text, jsonb) to service_role;
