-- Vapi's other server credentials (contract §1 v3, V3): a bearer token — or the legacy X-Vapi-Secret — found by its hash, and an HMAC key, which must stay readable to verify a signature; all in the private schema the Data API never publishes.
alter table private.vapi_credentials
  add column kind text not null default 'oauth2' check (kind in ('oauth2', 'bearer', 'hmac')),
  add column hmac_key text,
  add constraint vapi_credentials_hmac_key_only_for_hmac check ((kind = 'hmac') = (hmac_key is not null));

create unique index vapi_credentials_secret_sha256 on private.vapi_credentials (secret_sha256);
