// The real @supabase/supabase-js client against a reference server set up as a Supabase project of 2026 (contract §1
// Identity, v4): the publishable key in the browser's client, the secret key in the server's, e-mail confirmation on,
// and GoTrue's dead sessions. SupabaseJsIT starts that server and runs this with SUPABASE_URL and the keys set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from '@supabase/supabase-js';

const url = process.env.SUPABASE_URL;
class UnusedWebSocket {}
const options = {
  auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  realtime: { transport: UnusedWebSocket },
};
const browser = () => createClient(url, process.env.PUBLISHABLE_KEY, options);
const server = () => createClient(url, process.env.SECRET_KEY, options);
const email = `supabase-js-2026-${Date.now()}@example.test`;
const password = 'a long enough password';

test('publishable key: signUp without a session, confirmed through the admin API, signIn, getUser, signOut, then the old access token gets session_not_found', async () => {
  const supabase = browser();

  const signUp = await supabase.auth.signUp({ email, password, options: { data: { org_name: 'JS 2026', full_name: 'Dr. New' } } });
  assert.equal(signUp.error, null, `signUp: ${signUp.error?.message}`);
  assert.equal(signUp.data.session, null, 'e-mail confirmation on: no session before the address is confirmed');
  const userId = signUp.data.user.id;

  const early = await supabase.auth.signInWithPassword({ email, password });
  assert.equal(early.error?.code, 'email_not_confirmed', `signIn before confirming: ${early.error?.message}`);

  const confirmed = await server().auth.admin.updateUserById(userId, { email_confirm: true });
  assert.equal(confirmed.error, null, `admin.updateUserById: ${confirmed.error?.message}`);
  assert.ok(confirmed.data.user.email_confirmed_at, 'the address is confirmed');

  const signIn = await supabase.auth.signInWithPassword({ email, password });
  assert.equal(signIn.error, null, `signInWithPassword: ${signIn.error?.message}`);
  const accessToken = signIn.data.session.access_token;

  const user = await supabase.auth.getUser();
  assert.equal(user.error, null, `getUser: ${user.error?.message}`);
  assert.equal(user.data.user.id, userId);

  const signOut = await supabase.auth.signOut();
  assert.equal(signOut.error, null, `signOut: ${signOut.error?.message}`);

  const stale = await browser().auth.getUser(accessToken);
  assert.equal(stale.data.user, null, 'no user for a signed-out session');
  // supabase-js reads GoTrue's 403 session_not_found as AuthSessionMissingError
  assert.equal(stale.error?.name, 'AuthSessionMissingError', `getUser after signOut: ${stale.error?.message}`);
});

test('the secret key cannot be used where the publishable key belongs: admin calls with the publishable key are refused', async () => {
  const refused = await browser().auth.admin.createUser({ email: `not-admin-${Date.now()}@example.test`, password });
  assert.ok(refused.error, 'the publishable key cannot create users');
});
