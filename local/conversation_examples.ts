// The guide's Examples 1-5 as WhatsApp conversations: a world (customers with the guide's
// preferences, calendars busy as the examples need, relative to a Sunday noon) and signed webhooks
// delivered to the real whatsapp-webhook function. Used by the end-to-end test and `npm run demo`.
import type postgres from "postgres";
import { envelope, inboundMessage, messagesValue, postSigned, wamid } from "./simulator/meta.ts";

export const TEAM = {
  weber: "70000000-0000-4000-8000-000000000001",
  schmidt: "70000000-0000-4000-8000-000000000002",
  mueller: "70000000-0000-4000-8000-000000000003",
  sarah: "70000000-0000-4000-8000-000000000004",
  michael: "70000000-0000-4000-8000-000000000005",
  cleaning: "50000000-0000-4000-8000-000000000001",
  massage: "50000000-0000-4000-8000-000000000005",
} as const;

const ZONE = "Europe/Zurich";
const DAY = 24 * 3600_000;

/** Sunday 12:00 in Zurich, the first one at least a day after `real`: the examples' "now". Its
 * Tuesday is +2 days, Friday +5, the next Monday +8. */
export function exampleSunday(real: Date): Date {
  for (let d = 1; d <= 9; d++) {
    const candidate = new Date(real.getTime() + d * DAY);
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat("en-US", {
        timeZone: ZONE,
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        weekday: "short",
      })
        .formatToParts(candidate).map((p) => [p.type, p.value]),
    );
    if (parts.weekday === "Sun") {
      return localInstant(`${parts.year}-${parts.month}-${parts.day}`, 12, 0);
    }
  }
  throw new Error("no Sunday within 9 days");
}

/** The instant a Zurich wall clock shows this date and time. */
export function localInstant(date: string, hour: number, minute: number): Date {
  const guess = new Date(
    `${date}T${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}:00Z`,
  );
  const shown = new Intl.DateTimeFormat("en-US", {
    timeZone: ZONE,
    hour: "numeric",
    hourCycle: "h23",
  }).format(guess);
  let offset = (Number(shown) - hour + 24) % 24;
  if (offset > 12) offset -= 24;
  return new Date(guess.getTime() - offset * 3600_000);
}

/** The Zurich date `days` after the Sunday, as YYYY-MM-DD. */
export function dayAfter(sunday: Date, days: number): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: ZONE }).format(
    new Date(sunday.getTime() + days * DAY),
  );
}

export interface Customer {
  key: "marie" | "thomas" | "anna" | "lisa" | "marc";
  name: string;
  waId: string;
  id: string;
}

export interface World {
  sunday: Date;
  customers: Record<Customer["key"], Customer>;
  tag: string;
}

/** Customers with the guide's preferences, and the calendars the examples describe. */
export async function setUpWorld(sql: postgres.Sql, sunday: Date): Promise<World> {
  const tag = `conversation-example-${crypto.randomUUID()}`;
  const base = 41790000000 + Math.floor(Math.random() * 8_000_000) * 10;
  const people: [Customer["key"], string, string[]][] = [
    ["marie", "Marie Schmidt", [TEAM.weber]],
    ["thomas", "Thomas Becker", [TEAM.weber]],
    ["anna", "Anna Müller", [TEAM.weber]],
    ["lisa", "Lisa Hoffmann", []],
    ["marc", "Marc Schneider", [TEAM.sarah]],
  ];
  const customers = {} as Record<Customer["key"], Customer>;
  for (const [i, [key, name, preferred]] of people.entries()) {
    const waId = String(base + i);
    const [row] = await sql`
      insert into public.contacts (whatsapp_id, name, language, preferred_team_member_ids, preference_metadata)
      values (${"+" + waId}, ${name}, 'de', ${preferred}::uuid[],
              ${
      sql.json(
        preferred.length
          ? { detected_from: "conversation_history", last_updated: "2025-03-01" }
          : {},
      )
    })
      returning id`;
    customers[key] = { key, name, waId, id: row.id };
  }
  // Anna has had cleanings before, so "an appointment" means one (Example 4 names no service).
  await sql`
    insert into public.bookings (contact_id, service_id, team_member_id, starts_at, ends_at, status, assigned_strategy,
                                 created_at)
    values (${customers.anna.id}, ${TEAM.cleaning}, ${TEAM.weber}, ${new Date(
    sunday.getTime() - 60 * DAY,
  )},
            ${new Date(
    sunday.getTime() - 60 * DAY + 3600_000,
  )}, 'completed', 'preference', ${new Date(sunday.getTime() - 70 * DAY)})`;
  const busy: [string, number, string, string][] = [
    // Monday: the dentists are busy except Dr. Schmidt from 16:00 (Example 4); the therapists too.
    [TEAM.weber, 1, "00:00", "24:00"],
    [TEAM.schmidt, 1, "00:00", "16:00"],
    [TEAM.mueller, 1, "00:00", "24:00"],
    [TEAM.sarah, 1, "00:00", "24:00"],
    [TEAM.michael, 1, "00:00", "24:00"],
    // Tuesday: Dr. Weber free from 14:00 (Example 1), Sarah from 14:00 and Michael from 15:00 (Example 3).
    [TEAM.weber, 2, "00:00", "14:00"],
    [TEAM.sarah, 2, "00:00", "14:00"],
    [TEAM.michael, 2, "00:00", "15:00"],
    [TEAM.schmidt, 2, "00:00", "24:00"],
    [TEAM.mueller, 2, "00:00", "24:00"],
    // Wednesday: Michael free from 15:00 (Example 5).
    [TEAM.michael, 3, "00:00", "15:00"],
    // Friday: Dr. Weber fully booked, Dr. Schmidt from 10:00, Dr. Müller from 12:00 (Example 2).
    [TEAM.weber, 5, "00:00", "24:00"],
    [TEAM.schmidt, 5, "00:00", "10:00"],
    [TEAM.mueller, 5, "00:00", "12:00"],
    // The next Monday: Dr. Weber from 9:00 (Example 2's later option).
    [TEAM.weber, 8, "00:00", "09:00"],
  ];
  for (const [member, days, from, to] of busy) {
    const date = dayAfter(sunday, days);
    const end = to === "24:00"
      ? localInstant(dayAfter(sunday, days + 1), 0, 0)
      : localInstant(date, +to.slice(0, 2), +to.slice(3));
    await sql`
      insert into public.calendar_busy_times (team_member_id, starts_at, ends_at, source_uid)
      values (${member}, ${localInstant(date, +from.slice(0, 2), +from.slice(3))}, ${end}, ${tag})`;
  }
  // The examples' calendars are the busy times above: read as just synced, so no on-demand read
  // of the seed's calendar addresses replaces them before a booking is confirmed.
  await sql`update public.team_members set calendar_last_synced = now() where id = any(${
    Object.values(TEAM)
  }::uuid[])`;
  // Dr. Schmidt works until 18:00 on Mondays in Example 4.
  await sql`
    update public.team_members set working_hours = ${
    sql.json({
      mon: [{ start: "08:00", end: "18:00" }],
      tue: [{ start: "08:00", end: "17:00" }],
      wed: [{ start: "08:00", end: "17:00" }],
      thu: [{ start: "08:00", end: "17:00" }],
      fri: [{ start: "08:00", end: "17:00" }],
    })
  } where id = ${TEAM.schmidt}`;
  return { sunday, customers, tag };
}

/** Example 5 happens after Example 3 booked Michael's Tuesday: his Tuesday afternoon fills up. */
export async function fillMichaelsTuesday(sql: postgres.Sql, world: World): Promise<void> {
  const date = dayAfter(world.sunday, 2);
  await sql`
    insert into public.calendar_busy_times (team_member_id, starts_at, ends_at, source_uid)
    values (${TEAM.michael}, ${localInstant(date, 15, 0)}, ${
    localInstant(date, 18, 0)
  }, ${world.tag})`;
}

export async function tearDownWorld(sql: postgres.Sql, world: World): Promise<void> {
  const ids = Object.values(world.customers).map((c) => c.id);
  await sql`delete from public.bookings where contact_id = any(${ids}::uuid[])`;
  await sql`delete from public.admin_alerts where contact_id = any(${ids}::uuid[])`;
  await sql`delete from public.contacts where id = any(${ids}::uuid[])`;
  await sql`delete from public.calendar_busy_times where source_uid = ${world.tag}`;
  await sql`update public.team_members set working_hours = null where id = ${TEAM.schmidt}`;
}

/** Text, a tap on one of the bot's buttons, or a tap on a template's quick reply (its payload). */
export type Said =
  | { text: string }
  | { tap: { id: string; title: string } }
  | { template: { payload: string; text: string } };

export interface Answer {
  message: {
    type: string;
    text?: string;
    buttons?: { id: string; title: string }[];
    rows?: { id: string; title: string }[];
  };
  purpose: string;
}

/** Sends one signed webhook as the customer at `at`, waits until it is handled, returns the reply. */
export async function say(
  sql: postgres.Sql,
  webhookUrl: string,
  appSecret: string,
  customer: Customer,
  said: Said,
  at: Date,
): Promise<Answer | null> {
  const id = wamid();
  const content = "text" in said
    ? { type: "text" as const, body: said.text }
    : "tap" in said
    ? { type: "button_reply" as const, id: said.tap.id, title: said.tap.title }
    : { type: "button" as const, payload: said.template.payload, text: said.template.text };
  const body = JSON.stringify(
    envelope([[messagesValue({ waId: customer.waId, name: customer.name }, [
      inboundMessage({ waId: customer.waId }, content, Math.floor(at.getTime() / 1000), id),
    ])]]),
  );
  const response = await postSigned(webhookUrl, body, appSecret);
  await response.body?.cancel();
  if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const [row] = await sql`
      select m.handled_at, o.message, o.purpose
      from public.whatsapp_inbound_messages m
      left join public.whatsapp_outbound_messages o on o.in_reply_to = m.id
      where m.wa_message_id = ${id}`;
    if (row?.handled_at) return row.message ? { message: row.message, purpose: row.purpose } : null;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(
    `message "${
      "text" in said ? said.text : "tap" in said ? said.tap.title : said.template.text
    }" was not handled in time`,
  );
}
