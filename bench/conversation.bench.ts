// The booking conversation: the rules interpreter alone, and one whole step (message in →
// context, interpretation, SQL decision with booking_options and holds → reply queued) with ten
// team members, each beside the floor it is compared with. Prints figures, asserts nothing.
import postgres from "postgres";
import { measure, report } from "./lib.ts";
import { createWorld } from "./world.ts";
import { interpret } from "../supabase/functions/_shared/conversation/interpret.ts";
import { fold } from "../supabase/functions/_shared/conversation/text.ts";
import { converse } from "../supabase/functions/_shared/conversation/respond.ts";
import { worldContext } from "../supabase/functions/_shared/conversation/test_world.ts";

class Rollback extends Error {}

const utterances = [
  "I need a dental cleaning",
  "Dental appointment Friday morning",
  "I'm in severe pain, need earliest appointment possible!",
  "Can I try a massage with Michael this time? I've heard good things",
  "ich hätte gern eine zahnreinigung bei dr weber am freitag nachmittag",
  "nächsten Dienstag um 14 Uhr",
  "je voudrais un rdv pour un détartrage vendredi matin",
  "vorrei un appuntamento per la pulizia dei denti domani alle 15",
  "claening tomorow morning",
  "hallo ich bräuchte ne zahn reinigung nächste woche am mittwoch nachmittag wenns geht bei weber",
  "ja gerne",
  "how much is a cleaning",
];
const context = worldContext();
let i = 0;
report(
  "rules interpreter, one message (12 DE/EN/FR/IT utterances)",
  await measure(
    () => Promise.resolve(interpret(utterances[i++ % utterances.length], context)),
    2000,
    50,
  ),
);
report(
  "  floor: folding the same text only",
  await measure(() => Promise.resolve(fold(utterances[i++ % utterances.length])), 2000, 50),
);

const sql = postgres(Deno.env.get("SUPABASE_DB_URL")!, { max: 2, onnotice: () => {} });
try {
  const today = new Date().toISOString().slice(0, 10);
  const world = await createWorld(
    sql,
    10,
    today,
    `Conversation bench ${crypto.randomUUID().slice(0, 4)}`,
  );
  // A service word that is not also part of the generated team members' names.
  await sql`update services set synonyms = '{facial}' where id = ${world.serviceId}`;
  await sql`delete from contacts where whatsapp_id = '+41799990001'`;
  const [contact] = await sql`
    insert into contacts (whatsapp_id, name, language) values ('+41799990001', 'Bench Customer', 'en') returning id`;
  const [inbound] = await sql`
    insert into whatsapp_inbound_messages (wa_message_id, contact_id, kind, text, sent_at, payload)
    values ('wamid.conversation-bench', ${contact.id}, 'text', 'bench', now(), '{}') returning id`;
  const text = "I need a facial tomorrow morning";
  // Each step runs in a transaction that is rolled back, so every run starts from the same state.
  let lastReply: { say?: string; options?: unknown[] | null } | null = null;
  const step = async () => {
    let took = 0;
    await sql.begin(async (tx) => {
      const started = performance.now();
      lastReply = await converse(tx, {
        id: inbound.id,
        contactId: contact.id,
        waMessageId: "wamid.conversation-bench",
        kind: "text",
        text,
        replyId: null,
        timestamp: new Date(),
        profileName: null,
        language: "en",
      }, { llm: null });
      took = performance.now() - started;
      throw new Rollback();
    }).catch((error) => {
      if (!(error instanceof Rollback)) throw error;
    });
    return took;
  };
  const times = await measure(step, 100, 5, true);
  const decided = lastReply as { say?: string; options?: unknown[] } | null;
  report(
    `message in -> ${decided?.say}, ${
      decided?.options?.length ?? 0
    } slots held, reply queued (10 members)`,
    times,
  );
  report(
    "  of which the SQL decision booking_options alone",
    await measure(
      async () =>
        await sql`select count(*) from booking_options(${contact.id}, ${world.serviceId},
                  now() + interval '1 day', now() + interval '2 days', 'auto', null, now())`,
      100,
      5,
    ),
  );
  report(
    "  floor: one transaction with one select",
    await measure(async () => await sql.begin(async (tx) => await tx`select 1`), 100, 5),
  );
  await sql`delete from contacts where id = ${contact.id}`;
} finally {
  await sql.end();
}
