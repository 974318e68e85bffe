// The booking conversation as the WhatsApp channel's Responder: inside the channel's transaction,
// read what the interpreter needs (one SQL call), understand the message, let SQL decide
// (private.handle_conversation_message: state, holds, bookings), word the reply in the
// customer's language and queue it. The reply exists exactly when the decision commits.
import type postgres from "postgres";
import { z } from "zod";
import { type InboundMessage, queueMessage, type Responder } from "../whatsapp/responder.ts";
import { Intent, type InterpretContext, type Interpreter, Language } from "./intent.ts";
import { interpret as interpretByRules } from "./interpret.ts";
import { render, type Reply } from "./wording.ts";
import { type LlmConfig, llmConfig, llmInterpreter } from "./llm.ts";
import { freshenCalendar, type FreshenOptions } from "./freshen.ts";
import { db } from "../db.ts";
import { handleBookingQuickReply, quickReplyKind } from "../reminders/quick_replies.ts";

/** What private.conversation_context returns (our own SQL, validated anyway: fail closed). */
const ConversationContext = z.object({
  time_zone: z.string(),
  language: z.string().nullable(),
  awaiting: z.string().nullable(),
  offered: z.array(z.looseObject({
    number: z.number().int(),
    team_member_id: z.string().nullable().optional(),
    starts_at: z.string().nullable().optional(),
  })),
  handed_off: z.boolean(),
  services: z.array(
    z.object({ id: z.string(), name: z.string(), synonyms: z.array(z.string()).nullable() }),
  ),
  team_members: z.array(
    z.object({ id: z.string(), name: z.string(), service_ids: z.array(z.string()) }),
  ),
});
export type ConversationContext = z.infer<typeof ConversationContext>;

/** A message handled much later than it was sent (the sweep re-handling it) is decided at the
 * time of handling, so nothing is ever held or booked in the past. */
const STALE_AFTER_MS = 10 * 60_000;

export function decisionTime(message: InboundMessage, realNow: Date): Date {
  return message.timestamp.getTime() < realNow.getTime() - STALE_AFTER_MS
    ? realNow
    : message.timestamp;
}

export function interpreterContext(
  ctx: ConversationContext,
  now: Date,
  replyId: string | null,
): InterpretContext {
  const language = Language.safeParse(ctx.language);
  return {
    now,
    timeZone: ctx.time_zone,
    language: language.success ? language.data : null,
    services: ctx.services.map((s) => ({ id: s.id, name: s.name, synonyms: s.synonyms ?? [] })),
    teamMembers: ctx.team_members.map((m) => ({
      id: m.id,
      name: m.name,
      serviceIds: m.service_ids,
    })),
    offered: ctx.offered.map((o) => ({
      number: o.number,
      teamMemberId: o.team_member_id ?? null,
      startsAt: o.starts_at ?? null,
    })),
    awaiting: ctx.awaiting,
    replyId,
  };
}

export interface ResponderOptions {
  /** Understanding: the rules by default, the LLM when `llm` is configured (it falls back to the
   * rules itself). */
  interpreter?: Interpreter;
  /** OpenAI-compatible endpoint settings (default: LLM_* environment variables, else none). */
  llm?: LlmConfig | null;
  /** The real clock (only used to recognise stale messages). */
  clock?: () => Date;
  /** Reading a stale calendar before a booking is confirmed: on by default; false turns it off. */
  freshen?: FreshenOptions | false;
  /** The pool the on-demand calendar read uses (it commits on its own, outside the step). */
  pool?: () => postgres.Sql;
}

/** One step of the conversation for one inbound message, in the caller's transaction. Returns
 * the decision's reply (null when the bot stays silent) for tests and the demo. */
export async function converse(
  tx: postgres.TransactionSql,
  message: InboundMessage,
  options: ResponderOptions = {},
): Promise<Reply | null> {
  const now = decisionTime(message, (options.clock ?? (() => new Date()))());
  const [{ context }] = await tx`
    select private.conversation_context(${message.contactId}::uuid, ${now}) as context`;
  const ctx = ConversationContext.parse(context);
  if (quickReplyKind(message.replyId)) return await answerQuickReply(tx, message, ctx, now);
  const text = message.text ?? "";
  const interpreterCtx = interpreterContext(ctx, now, message.replyId);
  let interpreter = options.interpreter ?? interpretByRules;
  const llm = options.llm === undefined ? environmentLlm() : options.llm;
  if (!options.interpreter && llm) {
    const [{ prompt }] = await tx`
      select private.conversation_llm_prompt(${message.contactId}::uuid, ${now}) as prompt`;
    interpreter = llmInterpreter(llm, prompt, {
      onFallback: (reason) =>
        console.warn(`[conversation] LLM not used (${reason}); rules answered`),
    });
  }
  let intent: Intent;
  try {
    intent = Intent.parse(await interpreter(text, interpreterCtx));
  } catch {
    // An interpreter that fails never blocks the customer: the rules answer instead.
    intent = interpretByRules(text, interpreterCtx);
  }
  // About to confirm an offered slot: make sure that team member's calendar is recent.
  if (
    options.freshen !== false && ctx.awaiting === "offer" &&
    (intent.intent === "yes" || intent.intent === "choose")
  ) {
    const chosen = ctx.offered.find((o) =>
      o.number === (intent.intent === "yes" ? 1 : intent.choice)
    );
    if (chosen?.team_member_id) {
      // Never a reason not to book: whatever goes wrong, the booking uses the last known state.
      await freshenCalendar((options.pool ?? db)(), chosen.team_member_id, options.freshen ?? {})
        .catch(() =>
          console.warn(
            "[conversation] calendar not refreshed before booking; booking on the last known state",
          )
        );
    }
  }
  const [{ reply }] = await tx`
    select private.handle_conversation_message(${message.contactId}::uuid, ${
    tx.json(intent as postgres.JSONValue)
  }, ${now}) as reply`;
  return await queueReply(tx, message, ctx, now, reply);
}

/** SQLSTATEs of a tap that is not this customer's to make (forged, someone else's, malformed). */
const REFUSED_TAP = new Set(["BK003", "BK004"]);

/** A tapped reminder / feedback / waitlist quick reply (a template button): decided by the
 * reminders feature's SQL before any interpretation, then answered by the conversation's SQL
 * (which starts the reschedule dialogue for "Reschedule"). A refused tap changes nothing and gets
 * a polite "that button no longer applies". */
async function answerQuickReply(
  tx: postgres.TransactionSql,
  message: InboundMessage,
  ctx: ConversationContext,
  now: Date,
): Promise<Reply | null> {
  const outcome = await tx.savepoint((sp) =>
    handleBookingQuickReply(sp, message.contactId, message.replyId, now)
  ).catch((error) => {
    if (REFUSED_TAP.has((error as { code?: string }).code ?? "")) return null;
    throw error;
  });
  const [{ reply }] = await tx`
    select private.conversation_quick_reply(${message.contactId}::uuid, ${
    outcome ? tx.json(outcome as postgres.JSONValue) : null
  }::jsonb, ${now}) as reply`;
  return await queueReply(tx, message, ctx, now, reply);
}

/** Words the decision's reply in the customer's language and queues it (null: stay silent). */
async function queueReply(
  tx: postgres.TransactionSql,
  message: InboundMessage,
  ctx: ConversationContext,
  now: Date,
  reply: unknown,
): Promise<Reply | null> {
  if (reply === null) return null;
  const decided = reply as Reply;
  await queueMessage(
    tx,
    message.contactId,
    render(decided, { timeZone: ctx.time_zone, now }),
    message.id,
    decided.purpose ?? "reply",
  );
  return decided;
}

let environmentLlmConfig: LlmConfig | null | undefined;
function environmentLlm(): LlmConfig | null {
  environmentLlmConfig ??= llmConfig(Deno.env.toObject());
  return environmentLlmConfig;
}

export function createResponder(options: ResponderOptions = {}): Responder {
  return async (tx, message) => {
    await converse(tx, message, options);
  };
}

/** The responder the WhatsApp webhook uses (rules interpreter, or the LLM one when configured). */
export const respond: Responder = createResponder();
