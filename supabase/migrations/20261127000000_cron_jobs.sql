-- Every pg_cron job of the project, in one place, so an admin sees all schedules in one file.
-- This migration sorts last: the functions it names exist by then. cron.schedule with an existing
-- job name replaces that job, so re-applying this file changes nothing.
-- Times are UTC (Debian's pg_cron 1.4 has no cron.timezone): jobs that must run at a business-local
-- hour run often and claim their local day themselves (private.claim_daily_run).

-- Holds nobody confirmed in time give their slot back.
select cron.schedule('release-expired-holds', '* * * * *', 'select private.release_expired_holds()');

-- Calendars due for a sync (every member's interval, failure backoff) and due write-backs.
select cron.schedule('calendar-sync-due', '* * * * *', 'select private.queue_due_calendar_syncs()');

-- Once per business-local night at 02:00: full calendar sync, then the availability cache.
select cron.unschedule(jobid) from cron.job where jobname = 'nightly-cache-refresh';  -- its earlier name
select cron.schedule('nightly-sync-and-cache-refresh', '*/15 * * * *', 'select private.queue_nightly_sync_and_cache_refresh()');

-- Admin alerts by email: raise secret-rotation alerts, and call alert-mail when a mail is due.
select cron.schedule('admin-alert-mail', '* * * * *', 'select private.admin_alert_mail_tick()');

-- WhatsApp: messages stored but not handled (a crashed function) and due outbox messages (retries).
select cron.schedule('whatsapp-sweep', '* * * * *', 'select private.whatsapp_sweep()');

-- Google watch channels and Graph subscriptions expire: renew them a day ahead (hourly check).
select cron.schedule('calendar-push-renewal', '17 * * * *', 'select private.queue_calendar_push_renewal()');

-- Appointments whose end has passed become completed (unless marked no_show).
select cron.schedule('complete-past-bookings', '*/5 * * * *', 'select private.complete_past_bookings()');

-- WhatsApp reminders before appointments and the feedback question after them.
select cron.schedule('send-due-reminders', '* * * * *', 'select private.send_due_reminders()');
select cron.schedule('send-due-feedback-questions', '* * * * *', 'select private.send_due_feedback_questions()');

-- Waitlist: unanswered offers lapse, entries expire, freed time is offered to waiting customers.
select cron.schedule('process-waitlist', '* * * * *', 'select private.process_waitlist()');
