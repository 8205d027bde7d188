-- Supabase custom access token hook: adds org_id (and the member's role) to the token's claims. (S1.2)
create function public.custom_access_token_hook(event jsonb)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  claims jsonb := coalesce(event -> 'claims', '{}'::jsonb);
  member record;
begin
  select p.org_id, p.role into member
  from public.profiles p
  where p.id = nullif(event ->> 'user_id', '')::uuid;

  if found then
    claims := claims || jsonb_build_object('org_id', member.org_id, 'user_role', member.role);
  end if;
  return jsonb_build_object('claims', claims);
end
$$;

revoke all on function public.custom_access_token_hook(jsonb) from public, anon, authenticated;
grant execute on function public.custom_access_token_hook(jsonb) to service_role;

do $$
begin
  if exists (select 1 from pg_roles where rolname = 'supabase_auth_admin') then
    grant usage on schema public to supabase_auth_admin;
    grant execute on function public.custom_access_token_hook(jsonb) to supabase_auth_admin;
  end if;
end
$$;
