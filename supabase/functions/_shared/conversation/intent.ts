// What the customer wants, as one validated shape: produced by the rules interpreter (default) or
// the LLM interpreter, read by the SQL decision function (private.handle_conversation_message).
// snake_case so the same JSON is read as-is by SQL.
import { z } from "zod";

export const languages = ["de", "en", "fr", "it"] as const;
export const Language = z.enum(languages);
export type Language = z.infer<typeof Language>;

export const intentKinds = [
  "book", // a request for an appointment (service, time, team member, urgency: any of them)
  "yes",
  "no",
  "choose", // picks one of the options we offered (number, button, day, time or name)
  "cancel",
  "reschedule",
  "my_bookings",
  "opening_hours",
  "price",
  "who_does",
  "change_preference",
  "human", // wants a person
  "stop", // opt-out
  "greeting",
  "thanks",
  "unknown",
] as const;

const uuid = z.string().uuid();
const instant = z.string().datetime({ offset: true });

export const Intent = z.object({
  intent: z.enum(intentKinds),
  language: Language,
  /** The one service understood, or null (then service_ids may hold candidates to ask about). */
  service_id: uuid.nullable(),
  service_ids: z.array(uuid).max(20),
  /** Wanted time window (business time zone already applied), or null for "any time soon". */
  window_from: instant.nullable(),
  window_to: instant.nullable(),
  /** An exact time was named ("um 14 Uhr"): the window starts there. */
  exact_time: z.boolean(),
  part_of_day: z.enum(["morning", "midday", "afternoon", "evening"]).nullable(),
  urgent: z.boolean(),
  /** Team members named ("bei Dr. Weber"), several when the name is ambiguous. */
  team_member_ids: z.array(uuid).max(20),
  anyone: z.boolean(),
  /** Option number picked (1-based), when options were offered. */
  choice: z.number().int().min(1).max(20).nullable(),
  /** The customer's own words that matter for the booking record (urgency cues). */
  customer_statement: z.string().max(300).nullable(),
  /** The message as received, shortened. */
  text: z.string().max(1000),
});
export type Intent = z.infer<typeof Intent>;

/** What the interpreter knows besides the message: the catalogue, the open question, the clock. */
export interface InterpretContext {
  now: Date;
  timeZone: string;
  /** The contact's remembered language (used when a message gives no clue). */
  language: Language | null;
  services: { id: string; name: string; synonyms: string[] }[];
  teamMembers: { id: string; name: string; serviceIds: string[] }[];
  /** Options currently offered, so "2", "friday" or "schmidt" can pick one. */
  offered: { number: number; teamMemberId: string | null; startsAt: string | null }[];
  /** What the conversation is waiting for (SQL state), e.g. "offer", "service", "remember_preference". */
  awaiting: string | null;
  /** A tapped button or list row id ("choice:2", "yes", "no"). */
  replyId?: string | null;
}

export type Interpreter = (text: string, context: InterpretContext) => Promise<Intent> | Intent;
