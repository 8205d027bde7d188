-- A cancelled booking's event is deleted from Google Calendar through the same outbox: 'deleting' until Google confirms (2xx, or 404/410 for an event already gone), then 'deleted'; 'failed' when Google refuses for good. (X5.6, X5.9)
alter table public.calendar_events drop constraint calendar_events_status_check;
alter table public.calendar_events add constraint calendar_events_status_check
  check (status in ('pending', 'synced', 'failed', 'deleting', 'deleted'));

drop index public.calendar_events_due_idx;
create index calendar_events_due_idx on public.calendar_events (next_attempt_at) where status in ('pending', 'deleting');
