-- Identity handshake in the database: the signup trigger and the custom access token hook (S1.1, S1.2, S1.3).
begin;
select plan(9);

insert into auth.users (id, email, raw_user_meta_data, raw_app_meta_data)
values ('c0000000-0000-4000-8000-000000000001', 'founder@example.test',
        '{"org_name": "Founders Clinic", "full_name": "Dr. Founder", "org_id": "00000000-0000-4000-8000-000000000000"}',
        '{"provider": "email"}');

select is((select count(*)::int from public.profiles where id = 'c0000000-0000-4000-8000-000000000001'), 1,
  'signup creates exactly one profile for the auth user');
select is((select role from public.profiles where id = 'c0000000-0000-4000-8000-000000000001'), 'admin',
  'the signing-up user is the admin of the new org');
select is((select o.name from public.organizations o join public.profiles p on p.org_id = o.id
           where p.id = 'c0000000-0000-4000-8000-000000000001'), 'Founders Clinic',
  'the new org is named from org_name');
select isnt((select org_id from public.profiles where id = 'c0000000-0000-4000-8000-000000000001'),
  '00000000-0000-4000-8000-000000000000'::uuid, 'user-controlled metadata cannot choose the org');

insert into auth.users (id, email, raw_app_meta_data)
select 'c0000000-0000-4000-8000-000000000002', 'staff@example.test',
       jsonb_build_object('org_id', org_id, 'role', 'staff')
from public.profiles where id = 'c0000000-0000-4000-8000-000000000001';
select is((select p.org_id from public.profiles p where p.id = 'c0000000-0000-4000-8000-000000000002'),
          (select p.org_id from public.profiles p where p.id = 'c0000000-0000-4000-8000-000000000001'),
  'an invited member joins the org the server named');

select is(
  public.custom_access_token_hook(jsonb_build_object('user_id', 'c0000000-0000-4000-8000-000000000001',
    'claims', jsonb_build_object('sub', 'c0000000-0000-4000-8000-000000000001', 'role', 'authenticated'))) #>> '{claims,org_id}',
  (select org_id::text from public.profiles where id = 'c0000000-0000-4000-8000-000000000001'),
  'the hook adds the member''s org_id to the claims');
select is(
  public.custom_access_token_hook(jsonb_build_object('user_id', 'c0000000-0000-4000-8000-000000000001',
    'claims', jsonb_build_object('sub', 'x', 'aud', 'authenticated'))) #>> '{claims,aud}',
  'authenticated', 'the hook keeps the claims it was given');
select ok(
  (public.custom_access_token_hook(jsonb_build_object('user_id', 'c0000000-0000-4000-8000-0000000000ff',
    'claims', '{}'::jsonb)) -> 'claims') ? 'org_id' is false,
  'a user without a profile gets no org_id');
select ok(not has_function_privilege('authenticated', 'public.custom_access_token_hook(jsonb)', 'execute'),
  'signed-in users cannot call the hook themselves');

select * from finish();
rollback;
