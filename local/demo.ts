// The transcript printer behind `npm run demo` (see demo.sh): the guide's Examples 1-5 as
// WhatsApp conversations through the real webhook, in English (or the language given: de, fr, it).
import postgres from "postgres";
import {
  type Answer,
  type Customer,
  exampleSunday,
  fillMichaelsTuesday,
  type Said,
  say,
  setUpWorld,
  tearDownWorld,
} from "./conversation_examples.ts";

const lines = {
  en: [
    ["Example 1: preference available", "marie", ["I need a dental cleaning", "yes"]],
    ["Example 2: preferred dentist booked", "thomas", ["Dental cleaning Friday morning", "#1"]],
    ["Example 3: no preference, first booking", "lisa", [
      "I need a massage",
      "yes",
      "Yes, she was great!",
    ]],
    ["Example 5: explicit request", "marc", [
      "Can I try a massage with Michael this time? I've heard good things",
      "Perfect!",
    ]],
    ["Example 4: urgent (the next day)", "anna", [
      "I'm in severe pain, need earliest appointment possible!",
      "Yes please!",
    ]],
  ],
  de: [
    ["Beispiel 1", "marie", ["Ich brauche eine Zahnreinigung", "ja"]],
    ["Beispiel 2", "thomas", ["Zahnreinigung am Freitag Vormittag", "#1"]],
    ["Beispiel 3", "lisa", ["ich hätte gern eine massage", "ja", "ja sie war super"]],
    ["Beispiel 5", "marc", ["kann ich diesmal eine massage bei michael haben?", "Perfekt!"]],
    ["Beispiel 4", "anna", [
      "Ich habe starke Schmerzen, brauche so schnell wie möglich einen Termin!",
      "ja bitte",
    ]],
  ],
  fr: [
    ["Exemple 1", "marie", ["Je voudrais un détartrage", "oui"]],
    ["Exemple 4", "anna", [
      "j'ai très mal aux dents, il me faut un rendez-vous le plus tôt possible !",
      "oui merci",
    ]],
  ],
  it: [
    ["Esempio 1", "marie", ["Vorrei una pulizia dei denti", "sì"]],
    ["Esempio 4", "anna", [
      "ho un forte dolore, mi serve un appuntamento il prima possibile!",
      "sì grazie",
    ]],
  ],
} as const;

const language = (Deno.args[0] ?? "en") as keyof typeof lines;
if (!(language in lines)) throw new Error("usage: npm run demo [en|de|fr|it]");
const sql = postgres(Deno.env.get("SUPABASE_DB_URL")!, { max: 2, onnotice: () => {} });
const webhook = `${Deno.env.get("SUPABASE_URL")}/functions/v1/whatsapp-webhook`;
const secret = Deno.env.get("WHATSAPP_APP_SECRET")!;
const sunday = exampleSunday(new Date());
const world = await setUpWorld(sql, sunday);
const show = (answer: Answer | null) => {
  if (!answer) return console.log("  bot      (silent)");
  console.log(`  bot      ${(answer.message.text ?? "").replaceAll("\n", "\n           ")}`);
  const choices = answer.message.buttons ?? answer.message.rows ?? [];
  if (choices.length) console.log(`           [${choices.map((c) => c.title).join("] [")}]`);
};
try {
  console.log(
    `"Now" is ${
      new Intl.DateTimeFormat("en-GB", {
        dateStyle: "full",
        timeStyle: "short",
        timeZone: "Europe/Zurich",
      }).format(sunday)
    } (Zurich)\n`,
  );
  let clock = sunday.getTime();
  for (const [title, who, messages] of lines[language]) {
    const customer: Customer = world.customers[who];
    if (who === "marc") await fillMichaelsTuesday(sql, world);
    if (who === "anna") clock = sunday.getTime() + 24 * 3600_000;
    console.log(`── ${title} — ${customer.name}`);
    let last: Answer | null = null;
    for (const message of messages) {
      clock += 30_000;
      // "#n" taps the n-th button of the last reply (or of a question asked first).
      let said: Said = { text: message };
      if (message.startsWith("#")) {
        const choices = last?.message.buttons ?? last?.message.rows ?? [];
        const tapped = choices[Number(message.slice(1)) - 1];
        said = { tap: tapped };
        console.log(`  ${customer.name.split(" ")[0].padEnd(8)} [taps "${tapped.title}"]`);
      } else {
        console.log(`  ${customer.name.split(" ")[0].padEnd(8)} ${message}`);
      }
      last = await say(sql, webhook, secret, customer, said, new Date(clock));
      show(last);
    }
    const [booking] = await sql`
      select m.name, b.assigned_strategy, b.preference_snapshot from bookings b join team_members m on m.id = b.team_member_id
      where b.contact_id = ${customer.id} and b.status = 'confirmed'`;
    if (booking) {
      console.log(
        `  → booked with ${booking.name}, strategy ${booking.assigned_strategy}, snapshot ${
          JSON.stringify(booking.preference_snapshot)
        }`,
      );
    }
    const [contact] =
      await sql`select preferred_team_member_ids from contacts where id = ${customer.id}`;
    const names =
      await sql`select name from team_members where id = any(${contact.preferred_team_member_ids}::uuid[])`;
    console.log(`  → preferences now: ${names.map((n) => n.name).join(", ") || "none"}\n`);
  }
} finally {
  await tearDownWorld(sql, world);
  await sql.end();
}
