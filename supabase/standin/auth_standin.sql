-- Stand-in for what Supabase provides (roles, auth schema, auth.jwt()/uid()/role(), auth.users, extensions schema), as
-- the platform really is (contract §2 v2): auth.users.id has no default (GoTrue supplies it) and belongs to
-- supabase_auth_admin; every new table and function in public is granted to anon and authenticated by default.
-- The migrations are then applied as project_owner, a non-superuser like Supabase's postgres role: where something only
-- works as a superuser, the migration is wrong, not the stand-in.
-- Applied only on plain PostgreSQL, and only where auth.jwt() does not exist yet; never on Supabase.

do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'service_role') then
    create role service_role nologin noinherit bypassrls;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'supabase_auth_admin') then
    create role supabase_auth_admin nologin noinherit createrole;
  end if;
  -- stands in for Supabase's postgres role, which owns the project's objects and is not a superuser
  if not exists (select 1 from pg_roles where rolname = 'project_owner') then
    create role project_owner nologin nosuperuser bypassrls;
  end if;
end
$$;

-- The connecting role must be able to SET ROLE to these, as Supabase's PostgREST does.
do $$
begin
  execute format('grant anon, authenticated, service_role, supabase_auth_admin, project_owner to %I', current_user);
  execute format('grant create on database %I to project_owner', current_database());
end
$$;

create schema if not exists extensions;
grant usage on schema extensions to anon, authenticated, service_role;
do $$
begin
  execute format('alter database %I set search_path = "$user", public, extensions', current_database());
end
$$;
set search_path = "$user", public, extensions;

create schema if not exists auth;
grant usage on schema auth to anon, authenticated, service_role;

-- GoTrue's columns that matter here, as its migrations leave them: no default on id, nullable metadata, and the
-- e-mail unique only among non-SSO users (a partial index, so "on conflict (email)" has nothing to infer from).
create table if not exists auth.users (
  instance_id uuid,
  id uuid primary key,
  aud varchar(255),
  role varchar(255),
  email varchar(255),
  encrypted_password varchar(255),
  email_confirmed_at timestamptz,
  invited_at timestamptz,
  confirmation_token varchar(255),
  recovery_token varchar(255),
  last_sign_in_at timestamptz,
  raw_app_meta_data jsonb,
  raw_user_meta_data jsonb,
  is_super_admin boolean,
  created_at timestamptz,
  updated_at timestamptz,
  phone text unique default null,
  banned_until timestamptz,
  is_sso_user boolean not null default false,
  deleted_at timestamptz,
  is_anonymous boolean not null default false
);
create unique index if not exists users_email_partial_key on auth.users (email) where is_sso_user = false;
alter table auth.users owner to supabase_auth_admin;

create or replace function auth.jwt() returns jsonb
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')
  )::jsonb
$$;

create or replace function auth.uid() returns uuid
language sql stable
as $$
  select nullif(auth.jwt() ->> 'sub', '')::uuid
$$;

create or replace function auth.role() returns text
language sql stable
as $$
  select nullif(auth.jwt() ->> 'role', '')
$$;

grant execute on function auth.jwt(), auth.uid(), auth.role() to anon, authenticated, service_role;

-- Supabase Auth's sessions (GoTrue's columns that matter here): an access token names one in session_id, and Auth
-- serves it only while the row exists; signing out deletes the row (contract §1 Identity, v4).
create table if not exists auth.sessions (
  id uuid primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  refreshed_at timestamp
);
alter table auth.sessions owner to supabase_auth_admin;

-- Supabase Auth's refresh tokens (the columns GoTrue uses), rotated on every refresh.
create table if not exists auth.refresh_tokens (
  id bigserial primary key,
  token varchar(255) not null unique,
  user_id uuid not null references auth.users (id) on delete cascade,
  revoked boolean not null default false,
  parent varchar(255),
  session_id uuid references auth.sessions (id) on delete cascade,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

alter table auth.refresh_tokens owner to supabase_auth_admin;
grant usage on schema auth to supabase_auth_admin;
-- Supabase's postgres may hang triggers on auth.users and reference it, and nothing more there
grant trigger, references on auth.users to project_owner;
grant anon, authenticated, service_role to project_owner;

-- Supabase's default privileges: whatever the project's owner creates in public is granted to the API roles.
-- Migrations revoke what they do not mean to publish (contract §2 v2).
alter default privileges for role project_owner in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges for role project_owner in schema public grant all on sequences to anon, authenticated, service_role;
alter default privileges for role project_owner in schema public grant execute on functions to anon, authenticated, service_role;
grant usage on schema public to anon, authenticated, service_role;
grant usage, create on schema public to project_owner;
grant usage on schema extensions to project_owner;
grant usage on schema public to supabase_auth_admin;

-- extensions are installed by the platform (Supabase creates them in schema extensions)
create extension if not exists vector with schema extensions;
create extension if not exists btree_gist with schema extensions;
