-- Profile roles and orgs cannot be changed by members, not even within their own org (S1.3, S4.3).
begin;
select plan(4);

insert into auth.users (id, email, raw_user_meta_data)
values ('d0000000-0000-4000-8000-000000000001', 'owner@example.test', '{"org_name": "Role Clinic"}');
insert into auth.users (id, email, raw_app_meta_data)
select 'd0000000-0000-4000-8000-000000000002', 'staffer@example.test', jsonb_build_object('org_id', org_id, 'role', 'staff')
from public.profiles where id = 'd0000000-0000-4000-8000-000000000001';

select set_config('request.jwt.claims', json_build_object('sub', 'd0000000-0000-4000-8000-000000000002', 'role', 'authenticated',
  'org_id', (select org_id from public.profiles where id = 'd0000000-0000-4000-8000-000000000002'))::text, true);
set local role authenticated;
select throws_ok($$ update public.profiles set role = 'admin' where id = 'd0000000-0000-4000-8000-000000000002' $$,
  '42501', null, 'a staff member cannot make themselves admin');
select throws_ok($$ update public.profiles set org_id = gen_random_uuid() where id = 'd0000000-0000-4000-8000-000000000002' $$,
  '42501', null, 'a member cannot move a profile to another org');
select lives_ok($$ update public.profiles set full_name = 'Renamed' where id = 'd0000000-0000-4000-8000-000000000002' $$,
  'a member can still edit a name');
reset role;
select is((select role from public.profiles where id = 'd0000000-0000-4000-8000-000000000002'), 'staff',
  'the role is unchanged');

select * from finish();
rollback;
