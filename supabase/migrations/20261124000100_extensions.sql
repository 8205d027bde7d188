-- Extensions the schema needs: btree_gist for the appointment overlap exclusion, vector for RAG embeddings.
create extension if not exists btree_gist with schema extensions;
create extension if not exists vector with schema extensions;
