// The real @supabase/supabase-js client against the reference server's Supabase Auth subset (SPEC §1 Identity, v2).
// SupabaseJsIT starts the server and runs this with SUPABASE_URL set; `node --test` reports each step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from '@supabase/supabase-js';

const url = process.env.SUPABASE_URL;
// realtime is not used; Node 20 has no native WebSocket for the client to find, so it gets a stand-in it never opens
class UnusedWebSocket {}
// the project's publishable key: the gateway before /auth/v1 refuses a request without one of its keys
const client = () => createClient(url, process.env.ANON_KEY, {
  auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  realtime: { transport: UnusedWebSocket },
});
const email = `supabase-js-${Date.now()}@example.test`;
const password = 'a long enough password';

test('signUp, signInWithPassword, getUser, getClaims, updateUser, refreshSession and signOut', async () => {
  const supabase = client();

  const signUp = await supabase.auth.signUp({ email, password, options: { data: { org_name: 'JS Clinic', full_name: 'Dr. Js' } } });
  assert.equal(signUp.error, null, `signUp: ${signUp.error?.message}`);
  assert.ok(signUp.data.session, 'with email confirmation off, signUp returns a session');
  const userId = signUp.data.user.id;

  const signIn = await supabase.auth.signInWithPassword({ email, password });
  assert.equal(signIn.error, null, `signInWithPassword: ${signIn.error?.message}`);
  assert.equal(signIn.data.user.id, userId);

  const user = await supabase.auth.getUser();
  assert.equal(user.error, null, `getUser: ${user.error?.message}`);
  assert.equal(user.data.user.email, email);

  const claims = await supabase.auth.getClaims();
  assert.equal(claims.error, null, `getClaims: ${claims.error?.message}`);
  assert.equal(claims.data.claims.sub, userId);
  // an asymmetric token: supabase-js verifies it itself against <url>/auth/v1/.well-known/jwks.json
  assert.equal(claims.data.header.alg, 'ES256', 'signed ES256, verified with the published key');
  assert.ok(claims.data.header.kid, 'a kid names the key');
  assert.match(claims.data.claims.org_id, /^[0-9a-f-]{36}$/, 'org_id from the access token hook');

  const updated = await supabase.auth.updateUser({ data: { full_name: 'Dr. Js Updated' } });
  assert.equal(updated.error, null, `updateUser: ${updated.error?.message}`);
  assert.equal(updated.data.user.user_metadata.full_name, 'Dr. Js Updated');

  const before = (await supabase.auth.getSession()).data.session;
  const refreshed = await supabase.auth.refreshSession();
  assert.equal(refreshed.error, null, `refreshSession: ${refreshed.error?.message}`);
  assert.notEqual(refreshed.data.session.refresh_token, before.refresh_token, 'a new refresh token');
  // GoTrue's parent rule: the spent token answers the session's current one again, never a new branch
  const spent = await client().auth.refreshSession({ refresh_token: before.refresh_token });
  assert.ok(spent.error || spent.data.session.refresh_token === refreshed.data.session.refresh_token,
    'a used refresh token is refused or answers the current one');

  const current = refreshed.data.session.refresh_token;
  const signOut = await supabase.auth.signOut();
  assert.equal(signOut.error, null, `signOut: ${signOut.error?.message}`);
  const afterSignOut = await client().auth.refreshSession({ refresh_token: current });
  assert.ok(afterSignOut.error, 'a signed-out session cannot refresh');
  assert.equal(afterSignOut.data.session, null);
});

test('auth.admin.createUser with the service key invites a member into the clinic its app_metadata names', async () => {
  const admin = createClient(url, process.env.SERVICE_KEY, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: UnusedWebSocket },
  });
  const created = await admin.auth.admin.createUser({
    email: process.env.INVITED_EMAIL, password, email_confirm: true,
    user_metadata: { full_name: 'Dr. Invited' },
    app_metadata: { org_id: process.env.ORG_ID, role: 'provider' },
  });
  assert.equal(created.error, null, `admin.createUser: ${created.error?.message}`);
  assert.equal(created.data.user.app_metadata.org_id, process.env.ORG_ID);

  const refused = await client().auth.admin.createUser({ email: `not-admin-${Date.now()}@example.test`, password });
  assert.ok(refused.error, 'the anon key cannot create users');
});
