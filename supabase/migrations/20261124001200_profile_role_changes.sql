-- A member may edit their name and e-mail, never a role or an org: those change only through the service role
-- (RLS alone let a staff member make themselves admin of their own org). (S1.3, S4.3)
revoke update on public.profiles from authenticated;
grant update (full_name, email) on public.profiles to authenticated;
