-- What a user writes about themselves (raw_user_meta_data) never decides their org or role: the signup trigger, the invite trigger and the token hook (P2.1, P2.2, P2.4).
begin;
select plan(8);

insert into auth.users (id, email, raw_user_meta_data, raw_app_meta_data)
values ('d0000000-0000-4000-8000-000000000001', 'victim-admin@example.test',
        '{"org_name": "Victim Clinic"}', '{"provider": "email"}');

-- a signup whose data names the victim's org and a role, under every key a careless trigger might read
insert into auth.users (id, email, raw_user_meta_data, raw_app_meta_data)
select 'd0000000-0000-4000-8000-000000000002', 'intruder@example.test',
       jsonb_build_object('org_id', org_id, 'orgId', org_id, 'organization_id', org_id, 'role', 'admin',
                          'user_role', 'admin', 'org_name', 'Intruder'),
       '{"provider": "email"}'
from public.profiles where id = 'd0000000-0000-4000-8000-000000000001';

select isnt((select org_id from public.profiles where id = 'd0000000-0000-4000-8000-000000000002'),
            (select org_id from public.profiles where id = 'd0000000-0000-4000-8000-000000000001'),
  'a signup naming an existing org in its data gets an org of its own');
select is((select count(*)::int from public.profiles p
           where p.org_id = (select org_id from public.profiles where id = 'd0000000-0000-4000-8000-000000000001')), 1,
  'the named org gains no member');

-- the intruder rewrites their own metadata (PUT /auth/v1/user): nothing about their membership changes
update auth.users set raw_user_meta_data = raw_user_meta_data || '{"org_id": "00000000-0000-4000-8000-000000000000"}'
where id = 'd0000000-0000-4000-8000-000000000002';
select is((select org_id from public.profiles where id = 'd0000000-0000-4000-8000-000000000002'),
          (select o.id from public.organizations o where o.name = 'Intruder'),
  'rewriting user metadata leaves the profile''s org alone');

select is(
  public.custom_access_token_hook(jsonb_build_object('user_id', 'd0000000-0000-4000-8000-000000000002',
    'claims', jsonb_build_object('sub', 'd0000000-0000-4000-8000-000000000002', 'role', 'authenticated',
      'user_metadata', jsonb_build_object(
        'org_id', (select org_id from public.profiles where id = 'd0000000-0000-4000-8000-000000000001'),
        'user_role', 'owner')))) #>> '{claims,org_id}',
  (select org_id::text from public.profiles where id = 'd0000000-0000-4000-8000-000000000002'),
  'the hook takes org_id from the profile, not from the claims'' user_metadata');
select is(
  public.custom_access_token_hook(jsonb_build_object('user_id', 'd0000000-0000-4000-8000-000000000002',
    'claims', jsonb_build_object('sub', 'd0000000-0000-4000-8000-000000000002', 'role', 'authenticated',
      'user_metadata', '{"user_role": "owner", "role": "service_role"}'::jsonb))) #>> '{claims,user_role}',
  'admin', 'the hook takes user_role from the profile, not from user_metadata');
select is(
  public.custom_access_token_hook(jsonb_build_object('user_id', 'd0000000-0000-4000-8000-000000000002',
    'claims', jsonb_build_object('sub', 'd0000000-0000-4000-8000-000000000002', 'role', 'authenticated',
      'user_metadata', '{"role": "service_role"}'::jsonb))) #>> '{claims,role}',
  'authenticated', 'a role in user_metadata never becomes the token''s role');

-- only app_metadata, which the service role alone writes, places a user in an existing org
update auth.users set raw_user_meta_data = raw_user_meta_data
  || jsonb_build_object('org_id', (select org_id from public.profiles where id = 'd0000000-0000-4000-8000-000000000001'))
where id = 'd0000000-0000-4000-8000-000000000002';
select isnt((select org_id from public.profiles where id = 'd0000000-0000-4000-8000-000000000002'),
            (select org_id from public.profiles where id = 'd0000000-0000-4000-8000-000000000001'),
  'user metadata naming the org after signup does not move the user');
select policies_are('public', 'appointments', array[
  'members see appointments of their own organization',
  'members book only into their own organization',
  'members update only appointments of their own organization',
  'members delete only appointments of their own organization'],
  'appointments has exactly its four org policies (none reads user_metadata)');

select * from finish();
rollback;
