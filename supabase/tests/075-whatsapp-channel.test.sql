-- WhatsApp channel: contacts from Meta ids, exactly-once intake, outbox claims and retries,
-- statuses that never move backwards, alerts, per-customer order, access, the Studio view.
begin;
select plan(45);

create temporary table t_now as select '2026-12-01 10:00+00'::timestamptz as now,
  extract(epoch from '2026-12-01 10:00+00'::timestamptz)::bigint as epoch;
grant select on t_now to authenticated, anon;

-- A message as the webhook flattens it.
create function pg_temp.msg(p_id text, p_wa text, p_user text, p_name text, p_kind text, p_text text, p_at_offset int)
returns jsonb language sql as $$
  select jsonb_build_object('wa_message_id', p_id, 'wa_id', p_wa, 'user_id', p_user, 'profile_name', p_name,
    'phone_number_id', '106540352242922', 'kind', p_kind, 'text', p_text, 'reply_id', null, 'context_id', null,
    'timestamp', (select epoch from t_now) + p_at_offset, 'payload', jsonb_build_object('id', p_id))
$$;

-- Contacts --------------------------------------------------------------------------------------
select results_eq(
  $$select new_messages from private.record_whatsapp_webhook(jsonb_build_array(
      pg_temp.msg('wamid.A1', '41795550001', null, 'Nina New', 'text', 'Hallo', 0)), '[]', (select now from t_now))$$,
  array[1], 'a new message is stored and its customer reported');
select results_eq($$select name, whatsapp_id, whatsapp_user_id from contacts where whatsapp_id = '+41795550001'$$,
  $$values ('Nina New'::text, '+41795550001'::text, null::text)$$,
  'a new sender becomes a contact: E.164 number with +, profile name');
select is((select count(*)::int from private.record_whatsapp_webhook(jsonb_build_array(
      pg_temp.msg('wamid.A1', '41795550001', null, 'Someone Else', 'text', 'changed text', 5)), '[]', (select now from t_now))),
  0, 'a redelivered message id reports nothing new');
select results_eq($$select count(*)::int, min(text), min(name) from whatsapp_inbound_messages m join contacts c on c.id = m.contact_id
                    where c.whatsapp_id = '+41795550001'$$,
  $$values (1, 'Hallo'::text, 'Nina New'::text)$$, 'and changes nothing: one row, first text, first name');

select private.record_whatsapp_webhook(jsonb_build_array(
  pg_temp.msg('wamid.U1', null, 'CH.user000000000001', 'Username Ursula', 'text', 'hi', 0)), '[]', (select now from t_now));
select results_eq($$select whatsapp_id, whatsapp_user_id, name from contacts where whatsapp_user_id = 'CH.user000000000001'$$,
  $$values (null::text, 'CH.user000000000001'::text, 'Username Ursula'::text)$$,
  'a sender known only by a business-scoped user id becomes a contact without number');
select private.record_whatsapp_webhook(jsonb_build_array(
  pg_temp.msg('wamid.U2', '41795550002', 'CH.user000000000001', 'Ursula', 'text', 'again', 10)), '[]', (select now from t_now));
select results_eq($$select count(*)::int, min(whatsapp_id), min(name) from contacts where whatsapp_user_id = 'CH.user000000000001'$$,
  $$values (1, '+41795550002'::text, 'Username Ursula'::text)$$,
  'when the number arrives later the same contact gets it (no second contact, name kept)');
select private.record_whatsapp_webhook(jsonb_build_array(
  pg_temp.msg('wamid.M1', '41791110001', null, 'Mimi', 'text', 'Termin bitte', 0)), '[]', (select now from t_now));
select is((select name from contacts where whatsapp_id = '+41791110001'), 'Marie Schmidt',
  'a known customer keeps the name the clinic gave them');
select throws_ok($$insert into contacts (name) values ('nobody')$$, '23514', null,
  'a contact needs a WhatsApp number or user id');
select throws_ok($$select private.whatsapp_contact_id(null, null, 'x')$$, 'BK004', null, 'a sender without any id is refused');

-- Outbox: queue ---------------------------------------------------------------------------------
create temporary table t_ids as select
  (select id from contacts where whatsapp_id = '+41795550001') as nina,
  (select id from whatsapp_inbound_messages where wa_message_id = 'wamid.A1') as nina_msg,
  (select id from whatsapp_inbound_messages where wa_message_id = 'wamid.M1') as marie_msg;
select lives_ok($$select private.queue_whatsapp_message((select nina from t_ids),
  '{"type":"buttons","text":"Which time?","buttons":[{"id":"a","title":"Tuesday 10:00 with Dr. Alexandra Weber-Müller"}]}',
  (select nina_msg from t_ids))$$, 'a reply with a long button title is accepted (the renderer shortens it)');
select throws_ok($$select private.queue_whatsapp_message((select nina from t_ids), '{"type":"buttons","text":"x","buttons":[]}')$$,
  '22023', null, 'buttons without buttons are refused with invalid_message');
select throws_ok($$select private.queue_whatsapp_message((select nina from t_ids), '{"type":"fax","text":"x"}')$$,
  '22023', null, 'an unknown type is refused');
select throws_ok($$select private.queue_whatsapp_message((select nina from t_ids), '{"type":"text","text":"  "}')$$,
  '22023', null, 'an empty text is refused');
select throws_ok($$select private.queue_whatsapp_message((select nina from t_ids),
  '{"type":"list","text":"x","button":"Choose","rows":[{"id":"","title":"a"}]}')$$, '22023', null, 'a list row without id is refused');
select throws_ok($$select private.queue_whatsapp_message(gen_random_uuid(), '{"type":"text","text":"x"}')$$,
  'BK003', null, 'an unknown contact is refused');
select throws_ok($$select private.queue_whatsapp_message((select nina from t_ids), '{"type":"text","text":"x"}',
  (select marie_msg from t_ids))$$, 'BK003', null, 'replying to another customer''s message is refused');
select is((select count(*)::int from whatsapp_outbound_messages where contact_id = (select nina from t_ids)), 1,
  'refused messages wrote nothing');

-- Outbox: claims, order per customer, retries -------------------------------------------------------
select private.queue_whatsapp_message((select nina from t_ids), '{"type":"text","text":"second"}');
create temporary table t_claim1 as select * from private.claim_whatsapp_sends(10, (select nina from t_ids), (select now from t_now));
select results_eq($$select message ->> 'type', whatsapp_id, attempts from t_claim1$$,
  $$values ('buttons'::text, '+41795550001'::text, 1)$$,
  'a customer''s oldest message is claimed first, alone, with the number to send to');
select is((select count(*)::int from private.claim_whatsapp_sends(10, (select nina from t_ids), (select now from t_now))), 0,
  'their next message waits until the first is sent, and a claimed message is not handed out twice');
select is(private.record_whatsapp_send_result((select id from t_claim1), 'retry', null, 130429, 'Rate limit hit', (select now from t_now)),
  'queued', 'a rate-limited send goes back to the queue');
select is((select next_attempt_at - (select now from t_now) from whatsapp_outbound_messages where id = (select id from t_claim1)),
  interval '15 seconds', 'due again after the backoff (15 s after the first failure)');
select is((select count(*)::int from private.claim_whatsapp_sends(10, (select nina from t_ids), (select now from t_now) + interval '10 seconds')),
  0, 'not before');
select results_eq($$select id, attempts from private.claim_whatsapp_sends(10, (select nina from t_ids), (select now from t_now) + interval '15 seconds')$$,
  $$select id, 2 from t_claim1$$, 'and then the same message again (not the later one)');
select is(private.record_whatsapp_send_result((select id from t_claim1), 'sent', 'wamid.OUT1', null, null, (select now from t_now)),
  'sent', 'a send Meta accepted is sent, with Meta''s id');
select is(private.record_whatsapp_send_result((select id from t_claim1), 'retry', null, 500, 'late', (select now from t_now)),
  'sent', 'a stale outcome for a message no longer being sent changes nothing');
update whatsapp_outbound_messages set attempts = private.whatsapp_max_send_attempts() - 1
where contact_id = (select nina from t_ids) and message ->> 'text' = 'second';
create temporary table t_claim2 as select * from private.claim_whatsapp_sends(10, (select nina from t_ids), (select now from t_now));
select is(private.record_whatsapp_send_result((select id from t_claim2), 'retry', null, 503, 'Graph API answered HTTP 503', (select now from t_now)),
  'failed', 'a message still failing after the last attempt fails for good');

-- Alerts ----------------------------------------------------------------------------------------
select is((select count(*)::int from admin_alerts where kind = 'whatsapp_send_failed'), 0, 'a failed plain reply raises no alert');
create temporary table t_conf as select private.queue_whatsapp_message((select nina from t_ids),
  '{"type":"text","text":"Your appointment is confirmed"}', null, 'booking_confirmation') as id;
select private.claim_whatsapp_sends(10, (select nina from t_ids), (select now from t_now));
select private.record_whatsapp_send_result((select id from t_conf), 'failed', null, 131047, 'Re-engagement message', (select now from t_now));
select results_eq($$select error_code, status from whatsapp_outbound_messages where id = (select id from t_conf)$$,
  $$values (131047, 'failed'::text)$$, '131047 marks the message failed with the code');
select ok((select message like '%Nina New%131047%' from admin_alerts where whatsapp_message_id = (select id from t_conf)),
  'a failed booking confirmation opens an admin alert naming the customer and the code');

-- Statuses --------------------------------------------------------------------------------------
-- Every order of sent/delivered/read (each also delivered twice) ends at read; sent/failed in
-- either order ends at failed.
create temporary table t_orders (n serial, statuses text[], expected text, got text);
insert into t_orders (statuses, expected)
select p, 'read' from (values (array['sent','delivered','read']), (array['sent','read','delivered']), (array['delivered','sent','read']),
  (array['delivered','read','sent']), (array['read','sent','delivered']), (array['read','delivered','sent']),
  (array['read','read','delivered','delivered','sent'])) v(p)
union all select p, 'failed' from (values (array['sent','failed']), (array['failed','sent']), (array['failed','delivered'])) v(p);
do $$
declare
  r record;
  v_id uuid;
  s text;
begin
  for r in select * from t_orders loop
    v_id := private.queue_whatsapp_message((select nina from t_ids), '{"type":"text","text":"status test"}', null, 'status_test');
    update whatsapp_outbound_messages set status = 'sent', wa_message_id = 'wamid.S' || r.n, sent_at = now() where id = v_id;
    foreach s in array r.statuses loop
      perform private.record_whatsapp_statuses(jsonb_build_array(jsonb_build_object('id', 'wamid.S' || r.n, 'status', s,
        'timestamp', (select epoch from t_now) + 60, 'error_code', case when s = 'failed' then 131049 end)));
    end loop;
    update t_orders set got = (select status from whatsapp_outbound_messages where id = v_id) where n = r.n;
  end loop;
end
$$;
select is((select count(*)::int from t_orders where got is distinct from expected), 0,
  'statuses in every order end at the right status (read; failed)');
select is((select record_whatsapp_statuses from private.record_whatsapp_statuses(
  '[{"id":"wamid.S1","status":"read","timestamp":1796119300}]')), 0, 'the same status twice changes nothing');
select ok((select delivered_at is not null and read_at is not null and status = 'read' from whatsapp_outbound_messages
           where wa_message_id = 'wamid.S2'), 'a late delivered keeps read and only fills in when it was delivered');
select is((select error_code from whatsapp_outbound_messages where wa_message_id = 'wamid.S8'), 131049,
  'a failed status carries Meta''s error code');
-- A status that overtakes the answer to our send is applied once the send is recorded.
create temporary table t_early as select private.queue_whatsapp_message((select nina from t_ids), '{"type":"text","text":"early"}') as id;
update whatsapp_outbound_messages set status = 'sending', attempts = 1 where id = (select id from t_early);
select private.record_whatsapp_statuses('[{"id":"wamid.EARLY","status":"delivered","timestamp":1796119300}]');
select is(private.record_whatsapp_send_result((select id from t_early), 'sent', 'wamid.EARLY', null, null, (select now from t_now)),
  'delivered', 'a delivered status that arrived before the send was recorded is applied');

-- Handling order, failures, unsupported messages --------------------------------------------------------
select private.record_whatsapp_webhook(jsonb_build_array(
  pg_temp.msg('wamid.O2', '41795550003', null, 'Otto', 'text', 'second', 20),
  pg_temp.msg('wamid.O1', '41795550003', null, 'Otto', 'text', 'first', 10)), '[]', (select now from t_now));
select is((select text from private.next_whatsapp_inbound((select id from contacts where whatsapp_id = '+41795550003'), (select now from t_now))),
  'first', 'a customer''s messages are handed out in Meta''s timestamp order, whatever the delivery order');
create temporary table t_fail as select id from whatsapp_inbound_messages where wa_message_id = 'wamid.O1';
select private.record_whatsapp_handle_failure((select id from t_fail), 'PostgresError 40001: boom', (select now from t_now));
select is((select text from private.next_whatsapp_inbound((select id from contacts where whatsapp_id = '+41795550003'), (select now from t_now))),
  'second', 'a message whose handling failed waits for its retry without blocking the next one');
select private.record_whatsapp_handle_failure((select id from t_fail), 'boom', (select now from t_now)) from generate_series(1, 4);
select ok((select handled_at is not null from whatsapp_inbound_messages where id = (select id from t_fail))
          and exists (select 1 from admin_alerts where kind = 'whatsapp_message_unanswered' and message like '%Otto%'),
  'after five failed attempts it is given up with an admin alert (never silently)');
-- (Ed's message is from a minute before the real clock: the view orders by when things happened.)
select private.record_whatsapp_webhook(jsonb_build_array(
  pg_temp.msg('wamid.IMG', '41795550004', null, 'Ed', 'image', null,
              extract(epoch from now())::int - 60 - (select epoch from t_now)::int)), '[]', (select now from t_now));
update contacts set language = 'en' where whatsapp_id = '+41795550004';
select private.answer_unsupported_whatsapp_message((select id from whatsapp_inbound_messages where wa_message_id = 'wamid.IMG'));
select is((select message ->> 'text' from whatsapp_outbound_messages o join contacts c on c.id = o.contact_id
           where c.whatsapp_id = '+41795550004'), 'Sorry, I can read text messages only. Please write to me what you would like.',
  'an image is answered politely in the customer''s language');
select private.answer_unsupported_whatsapp_message((select marie_msg from t_ids));
select ok((select message ->> 'text' like 'Entschuldigung%' from whatsapp_outbound_messages
           where in_reply_to = (select marie_msg from t_ids)), 'and in German for a German-speaking customer');

-- Sweep -----------------------------------------------------------------------------------------
delete from net.http_request_queue;
update whatsapp_inbound_messages set handled_at = now();
update whatsapp_outbound_messages set status = 'failed', failed_at = now() where status in ('queued', 'sending');
select private.record_whatsapp_webhook(jsonb_build_array(
  pg_temp.msg('wamid.SW', '41795550005', null, 'Sven', 'text', 'anyone?', 0)), '[]', (select now from t_now));
select is(private.whatsapp_sweep((select now from t_now) + interval '10 seconds'), null,
  'the sweep leaves a message stored seconds ago to the webhook that stored it');
select isnt(private.whatsapp_sweep((select now from t_now) + interval '2 minutes'), null,
  'a message still unhandled after a minute wakes the whatsapp-worker');
select ok(exists (select 1 from net.http_request_queue where url like '%/functions/v1/whatsapp-worker'), 'through pg_net');

-- Access and the Studio view --------------------------------------------------------------------
select tests.create_supabase_user('wa_weber');
update team_members set user_id = tests.get_supabase_uid('wa_weber') where id = '70000000-0000-4000-8000-000000000001';
insert into bookings (contact_id, service_id, team_member_id, starts_at, ends_at) values
  ('c0000000-0000-4000-8000-000000000001', '50000000-0000-4000-8000-000000000001', '70000000-0000-4000-8000-000000000001',
   '2026-12-03 10:00+01', '2026-12-03 11:00+01');
select tests.authenticate_as_role('anon');
select throws_ok('select * from whatsapp_inbound_messages', '42501', null, 'anon cannot read WhatsApp messages');
select tests.clear_authentication();
select tests.authenticate_as('wa_weber');
select results_eq($$select distinct contact_name from whatsapp_conversation_messages$$, array['Marie Schmidt'],
  'a team member sees the conversations of their own customers only');
select tests.clear_authentication();
select results_eq($$select direction, kind from whatsapp_conversation_messages where whatsapp_address = '+41795550004'$$,
  $$values ('in'::text, 'image'::text), ('out', 'text')$$, 'the view shows a conversation in order, in and out');

select * from finish();
rollback;
