-- Profiles: one per auth user, linked to one organization with a role; providers are profiles with role 'provider'. (S1.3, S2.6)
create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  org_id uuid not null references public.organizations (id) on delete cascade,
  email text,
  full_name text,
  role text not null check (role in ('admin', 'staff', 'provider')),
  created_at timestamptz not null default now(),
  unique (id, org_id)
);
create index profiles_org_id_idx on public.profiles (org_id);

alter table public.profiles enable row level security;
alter table public.profiles force row level security;

create policy "members see profiles of their own organization" on public.profiles
  for select to authenticated
  using (org_id = (select auth.jwt() ->> 'org_id')::uuid);
create policy "members insert profiles only into their own organization" on public.profiles
  for insert to authenticated
  with check (org_id = (select auth.jwt() ->> 'org_id')::uuid);
create policy "members update profiles only in their own organization" on public.profiles
  for update to authenticated
  using (org_id = (select auth.jwt() ->> 'org_id')::uuid)
  with check (org_id = (select auth.jwt() ->> 'org_id')::uuid);
create policy "members delete profiles only in their own organization" on public.profiles
  for delete to authenticated
  using (org_id = (select auth.jwt() ->> 'org_id')::uuid);

grant select, insert, update, delete on public.profiles to authenticated, service_role;
