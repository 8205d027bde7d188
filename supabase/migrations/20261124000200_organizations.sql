-- Organizations (clinics): the tenant. Every other tenant table carries org_id. (S1.1, S1.4, S4.1-S4.4)
create table public.organizations (
  id uuid primary key default gen_random_uuid(),
  name text not null check (char_length(name) between 1 and 200),
  created_at timestamptz not null default now()
);

alter table public.organizations enable row level security;
alter table public.organizations force row level security;

create policy "members see their own organization" on public.organizations
  for select to authenticated
  using (id = (select auth.jwt() ->> 'org_id')::uuid);
create policy "members insert only their own organization" on public.organizations
  for insert to authenticated
  with check (id = (select auth.jwt() ->> 'org_id')::uuid);
create policy "members update only their own organization" on public.organizations
  for update to authenticated
  using (id = (select auth.jwt() ->> 'org_id')::uuid)
  with check (id = (select auth.jwt() ->> 'org_id')::uuid);
create policy "members delete only their own organization" on public.organizations
  for delete to authenticated
  using (id = (select auth.jwt() ->> 'org_id')::uuid);

grant select, insert, update, delete on public.organizations to authenticated, service_role;
