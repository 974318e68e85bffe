-- Every kind of admin alert, in one place. Features are built on separate branches and each adds
-- kinds; when each migration redefined the check with the kinds it knew, the last one to run
-- silently forbade the others' (an alert insert then failed inside the transaction that raised it,
-- e.g. a WhatsApp send result or a hand-off). So no other migration defines this constraint: a
-- feature with a new kind adds ONE line to the list below (and to the column comment). This file
-- sorts after every feature migration, so the check exists before any alert can be raised by a
-- deployed function. Drop-and-add keeps it re-appliable.
alter table public.admin_alerts drop constraint if exists admin_alerts_kind_check;
alter table public.admin_alerts add constraint admin_alerts_kind_check check (kind in (
  'calendar_sync_failing',       -- a calendar keeps failing to sync; the member is unbookable (calendar_sync)
  'calendar_writeback_failing',  -- a booking could not be written to the member's calendar (calendar_write_back)
  'whatsapp_send_failed',        -- a booking confirmation could not be delivered on WhatsApp (whatsapp_outbox)
  'whatsapp_message_unanswered', -- handling a customer's message gave up after retries (whatsapp_intake)
  'conversation_handoff',        -- a customer asked to talk to a person (conversation_state)
  'calendar_secret_rotation'     -- a calendar secret is older than secret_max_age_days (admin_alert_mail)
));

comment on column public.admin_alerts.kind is
  'What kind of problem: calendar_sync_failing, calendar_writeback_failing, whatsapp_send_failed, '
  'whatsapp_message_unanswered, conversation_handoff or calendar_secret_rotation (the list and what each means: migration admin_alert_kinds).';
