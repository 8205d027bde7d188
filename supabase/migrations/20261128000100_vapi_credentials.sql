-- Vapi credentials (contract §1 v2, V2.1-V2.2): a clinic's long-lived OAuth2 client for Vapi, the secret stored hashed.
-- In a schema the Data API does not expose: only the server's privileged path (service_role) reads or writes it.
create schema if not exists private;
revoke all on schema private from public;
grant usage on schema private to service_role;

create table private.vapi_credentials (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organizations (id) on delete cascade,
  client_id text not null unique,
  secret_sha256 text not null,
  name text not null,
  created_by uuid,
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);

create index vapi_credentials_org on private.vapi_credentials (org_id);

alter table private.vapi_credentials enable row level security;
alter table private.vapi_credentials force row level security;
revoke all on private.vapi_credentials from public;

grant select, insert, update on private.vapi_credentials to service_role;

create policy "the server manages vapi credentials" on private.vapi_credentials
  for all to service_role using (true) with check (true);
