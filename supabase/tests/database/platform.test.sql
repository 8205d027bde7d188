-- The migrations on Supabase's default privileges and GoTrue's insert-then-update invite (contract §2 v2; P1.1, P1.2).
begin;
select plan(16);

select ok(not has_table_privilege('anon', 'public.' || t, 'select,insert,update,delete,truncate,references,trigger'),
          'anon has nothing on public.' || t)
from unnest(array['organizations', 'profiles', 'appointments', 'calendar_events', 'knowledge_base', 'audit_log']) t;

select ok(not has_table_privilege('authenticated', 'public.appointments', 'truncate')
          and not has_table_privilege('authenticated', 'public.appointments', 'references')
          and not has_table_privilege('authenticated', 'public.appointments', 'trigger'),
          'authenticated cannot truncate, reference or trigger on appointments');
select ok(not has_table_privilege('service_role', 'public.audit_log', 'truncate'),
          'nobody but the owner truncates the audit log');
select ok(not has_function_privilege('authenticated', 'public.record_audit(text, uuid, text, jsonb)', 'execute'),
          'a member cannot call record_audit directly (PostgREST would publish it as an RPC)');
select ok(not has_function_privilege('anon', 'public.custom_access_token_hook(jsonb)', 'execute'),
          'anon cannot call the access token hook');
select ok(has_function_privilege('supabase_auth_admin', 'public.custom_access_token_hook(jsonb)', 'execute'),
          'Supabase Auth can call the access token hook');
select ok(has_table_privilege('authenticated', 'public.appointments', 'select,insert,update,delete'),
          'members keep what RLS then narrows on appointments');

-- GoTrue's admin API: INSERT with app_metadata {provider, providers}, then UPDATE with the caller's app_metadata
insert into auth.users (id, aud, role, email, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
values ('d0000000-0000-4000-8000-000000000001', 'authenticated', 'authenticated', 'owner@example.test',
        '{"provider": "email", "providers": ["email"]}', '{"org_name": "Inviting Clinic"}', now(), now());
insert into auth.users (id, aud, role, email, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
values ('d0000000-0000-4000-8000-000000000002', 'authenticated', 'authenticated', 'invited@example.test',
        '{"provider": "email", "providers": ["email"]}', '{"full_name": "Dr. Invited"}', now(), now());
select is((select role from public.profiles where id = 'd0000000-0000-4000-8000-000000000002'), 'admin',
          'after the INSERT alone, the invited user looks like a signup');
update auth.users set raw_app_meta_data = raw_app_meta_data || jsonb_build_object('org_id',
         (select org_id from public.profiles where id = 'd0000000-0000-4000-8000-000000000001'), 'role', 'provider')
 where id = 'd0000000-0000-4000-8000-000000000002';
select is((select org_id from public.profiles where id = 'd0000000-0000-4000-8000-000000000002'),
          (select org_id from public.profiles where id = 'd0000000-0000-4000-8000-000000000001'),
          'after the UPDATE, the invited user is in the inviting clinic');
select is((select role from public.profiles where id = 'd0000000-0000-4000-8000-000000000002'), 'provider',
          'with the role the inviter gave');
select is((select count(*)::int from public.organizations where name = 'invited@example.test'), 0,
          'and the clinic the INSERT made for them alone is gone');

select * from finish();
rollback;
