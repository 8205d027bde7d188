-- On signup, create the organization and its admin profile in the same transaction; invited users join the org named by the server. (S1.1, S1.3)
create function public.handle_new_user()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  invited_org uuid := nullif(new.raw_app_meta_data ->> 'org_id', '')::uuid;
  new_org uuid;
begin
  -- raw_app_meta_data is set only by the server (service role); raw_user_meta_data is the user's own and is never trusted for membership.
  if invited_org is not null then
    insert into public.profiles (id, org_id, email, full_name, role)
    values (new.id, invited_org, new.email, new.raw_user_meta_data ->> 'full_name',
            coalesce(nullif(new.raw_app_meta_data ->> 'role', ''), 'staff'));
    return new;
  end if;

  insert into public.organizations (name)
  values (coalesce(nullif(btrim(new.raw_user_meta_data ->> 'org_name'), ''), new.email, 'New clinic'))
  returning id into new_org;

  insert into public.profiles (id, org_id, email, full_name, role)
  values (new.id, new_org, new.email, new.raw_user_meta_data ->> 'full_name', 'admin');
  return new;
end
$$;

revoke all on function public.handle_new_user() from public, anon, authenticated;

create trigger on_auth_user_created
  after insert on auth.users
  for each row execute function public.handle_new_user();
