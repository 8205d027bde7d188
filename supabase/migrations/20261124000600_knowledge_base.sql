-- Knowledge base: an org's document chunks with 1536-dimension embeddings for RAG. (S3.1-S3.5)
create table public.knowledge_base (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organizations (id) on delete cascade,
  title text,
  content text not null check (char_length(content) between 1 and 20000),
  content_hash text not null,
  metadata jsonb not null default '{}'::jsonb,
  embedding extensions.vector(1536) not null,
  embedding_model text not null,
  created_at timestamptz not null default now(),
  unique (org_id, content_hash)
);
create index knowledge_base_org_id_idx on public.knowledge_base (org_id);
create index knowledge_base_embedding_idx on public.knowledge_base
  using hnsw (embedding extensions.vector_cosine_ops);

alter table public.knowledge_base enable row level security;
alter table public.knowledge_base force row level security;

create policy "members see knowledge of their own organization" on public.knowledge_base
  for select to authenticated
  using (org_id = (select auth.jwt() ->> 'org_id')::uuid);
create policy "members add knowledge only to their own organization" on public.knowledge_base
  for insert to authenticated
  with check (org_id = (select auth.jwt() ->> 'org_id')::uuid);
create policy "members update only knowledge of their own organization" on public.knowledge_base
  for update to authenticated
  using (org_id = (select auth.jwt() ->> 'org_id')::uuid)
  with check (org_id = (select auth.jwt() ->> 'org_id')::uuid);
create policy "members delete only knowledge of their own organization" on public.knowledge_base
  for delete to authenticated
  using (org_id = (select auth.jwt() ->> 'org_id')::uuid);

grant select, insert, update, delete on public.knowledge_base to authenticated, service_role;
