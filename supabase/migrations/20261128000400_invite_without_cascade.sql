-- The invite (20261128000300) dropped the user's solo clinic and relied on ON DELETE CASCADE to take the profile
-- with it; a schema with plain foreign keys (as the seed guide writes them) refused that delete, and the admin API's
-- invite failed there. The profile is now deleted first, explicitly, then the clinic: no cascade is assumed.
create or replace function public.handle_user_invited()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  invited_org uuid := nullif(new.raw_app_meta_data ->> 'org_id', '')::uuid;
  current_org uuid;
begin
  if invited_org is null then
    return new;
  end if;
  select p.org_id into current_org from public.profiles p where p.id = new.id;
  if current_org is not distinct from invited_org then
    return new;
  end if;
  if current_org is not null then
    -- only the clinic the INSERT just made for this user alone; an established member is never moved this way
    if exists (select 1 from public.profiles p where p.org_id = current_org and p.id <> new.id) then
      return new;
    end if;
    delete from public.profiles p where p.id = new.id;
    delete from public.organizations o where o.id = current_org;
  end if;
  insert into public.profiles (id, org_id, email, full_name, role)
  values (new.id, invited_org, new.email, new.raw_user_meta_data ->> 'full_name',
          coalesce(nullif(new.raw_app_meta_data ->> 'role', ''), 'staff'));
  return new;
end
$$;

revoke all on function public.handle_user_invited() from public, anon, authenticated;
