-- The booking chain's database guarantees: overlap exclusion, RLS on appointments, append-only audit (S2.2, S2.3, S2.4, S2.5).
begin;
select plan(19);

insert into auth.users (id, email, raw_user_meta_data)
values ('a0000000-0000-4000-8000-000000000001', 'admin-a@example.test', '{"org_name": "Clinic A"}'),
       ('b0000000-0000-4000-8000-000000000001', 'admin-b@example.test', '{"org_name": "Clinic B"}');
create temporary table orgs on commit drop as
  select (select org_id from public.profiles where id = 'a0000000-0000-4000-8000-000000000001') as a,
         (select org_id from public.profiles where id = 'b0000000-0000-4000-8000-000000000001') as b;
grant select on orgs to authenticated;
insert into auth.users (id, email, raw_app_meta_data)
values ('a0000000-0000-4000-8000-000000000002', 'provider-a@example.test',
        jsonb_build_object('org_id', (select a from orgs), 'role', 'provider'));

select is((select role from public.profiles where id = 'a0000000-0000-4000-8000-000000000002'), 'provider',
  'an invited provider gets a provider profile in the inviting org');

create function pg_temp.book(starts text, minutes integer) returns void language sql as $$
  insert into public.appointments (org_id, clinic_id, provider_id, patient_name, patient_email, scheduled_at,
                                   duration_minutes, google_calendar_event_id)
  select a, a, 'a0000000-0000-4000-8000-000000000002', 'Pat', 'pat@example.test', starts::timestamptz, minutes, 'abcdef'
  from orgs
$$;

select lives_ok($$ select pg_temp.book('2030-01-07 09:00+00', 30) $$, 'a first booking is stored');
select throws_ok($$ select pg_temp.book('2030-01-07 09:15+00', 30) $$, '23P01', null, 'overlapping the end is excluded');
select throws_ok($$ select pg_temp.book('2030-01-07 08:45+00', 30) $$, '23P01', null, 'overlapping the start is excluded');
select throws_ok($$ select pg_temp.book('2030-01-07 08:00+00', 180) $$, '23P01', null, 'containing it is excluded');
select throws_ok($$ select pg_temp.book('2030-01-07 09:00+00', 30) $$, '23P01', null, 'an equal slot is excluded');
select lives_ok($$ select pg_temp.book('2030-01-07 09:30+00', 30) $$, 'touching the end is allowed (half-open)');
select lives_ok($$ select pg_temp.book('2030-01-07 08:30+00', 30) $$, 'touching the start is allowed (half-open)');
update public.appointments set status = 'cancelled' where scheduled_at = '2030-01-07 09:00+00';
select lives_ok($$ select pg_temp.book('2030-01-07 09:00+00', 30) $$, 'a cancelled booking no longer holds its slot');

select ok(not has_function_privilege('anon', 'public.book_appointment(uuid, uuid, uuid, text, text, timestamptz, integer, text, text, text, text, integer)', 'execute'),
  'anon cannot call book_appointment');

-- book_appointment as Clinic A's admin: booked once, the same toolCallId replayed, an overlap excluded, another
-- clinic's provider not found; RLS and the constraints decide, as for the INSERT itself
select set_config('request.jwt.claims', json_build_object('sub', 'a0000000-0000-4000-8000-000000000001',
  'org_id', (select a from orgs), 'role', 'authenticated')::text, true);
set local role authenticated;
create temporary table one_call on commit drop as
  select b.* from orgs, lateral public.book_appointment('c0000000-0000-4000-8000-000000000001', orgs.a,
    'a0000000-0000-4000-8000-000000000002', 'Pat', 'pat@example.test', '2030-03-04 10:00+00', 30, 'abcdef01', 'call-1',
    'tool-1', 'primary', 5000) b;
select results_eq($$ select outcome, sync_status from one_call $$, $$ values ('booked', 'pending') $$,
  'book_appointment books once, with its outbox row pending');
select results_eq(
  $$ select outcome, id from public.book_appointment('c0000000-0000-4000-8000-000000000002', (select a from orgs),
       'a0000000-0000-4000-8000-000000000002', 'Pat', 'pat@example.test', '2030-03-04 10:00+00', 30, 'abcdef02', 'call-1',
       'tool-1', 'primary', 5000) $$,
  $$ values ('replayed', 'c0000000-0000-4000-8000-000000000001'::uuid) $$,
  'the same toolCallId again answers the first booking and books nothing');
select throws_ok(
  $$ select * from public.book_appointment('c0000000-0000-4000-8000-000000000003', (select a from orgs),
       'a0000000-0000-4000-8000-000000000002', 'Pat', 'pat@example.test', '2030-03-04 10:15+00', 30, 'abcdef03', 'call-2',
       'tool-2', 'primary', 5000) $$, '23P01', null, 'an overlapping slot is excluded through book_appointment too');
select results_eq(
  $$ select outcome from public.book_appointment('c0000000-0000-4000-8000-000000000004', (select a from orgs),
       'b0000000-0000-4000-8000-000000000001', 'Pat', 'pat@example.test', '2030-03-05 10:00+00', 30, 'abcdef04', 'call-3',
       'tool-3', 'primary', 5000) $$,
  $$ values ('provider_not_found') $$, 'another clinic''s member is no provider of this one');
reset role;

select results_eq(
  $$ select count(*)::int from pg_class where relname in ('organizations', 'profiles', 'appointments',
       'calendar_events', 'knowledge_base', 'audit_log') and relrowsecurity and relforcerowsecurity $$,
  array[6], 'row level security is enabled and forced on all six tables');

select set_config('request.jwt.claims', json_build_object('sub', 'b0000000-0000-4000-8000-000000000001',
  'org_id', (select b from orgs), 'role', 'authenticated')::text, true);
set local role authenticated;
select is((select count(*)::int from public.appointments), 0, 'Clinic B sees none of Clinic A''s appointments');
select throws_ok($$ select pg_temp.book('2030-02-01 09:00+00', 30) $$, '42501', null,
  'Clinic B cannot insert an appointment into Clinic A');
select throws_ok($$ select public.record_audit('book_appointment', (select a from orgs), 'forbidden') $$, '42501', null,
  'a member cannot write audit rows of their choosing: record_audit is the server''s path, not a public RPC');
select throws_ok($$ update public.audit_log set status = 'ok' $$, '42501', null, 'a member cannot alter the audit log');
reset role;

select * from finish();
rollback;
