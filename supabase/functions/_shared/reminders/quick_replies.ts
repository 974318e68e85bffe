// The quick replies of the messages this feature sends (reminder, feedback question, waitlist
// offer) arrive as template button taps: InboundMessage.kind "button", replyId = the payload.
// The conversation's responder calls handleBookingQuickReply first; a non-null outcome means the
// tap was decided (in the responder's transaction) and only the answer's wording is left to it.
import type postgres from "postgres";
import { z } from "zod";

const uuid = z.string().uuid();

export const quickReplyOutcome = z.discriminatedUnion("action", [
  z.object({
    action: z.enum(["confirmed", "cancelled", "reschedule"]),
    booking_id: uuid,
    service_id: uuid,
    team_member_id: uuid,
    starts_at: z.string(),
  }),
  z.object({
    action: z.literal("booking_changed"),
    booking_id: uuid,
    current_booking_id: uuid.nullable(),
    status: z.string(),
  }),
  z.object({
    action: z.literal("rated"),
    booking_id: uuid,
    rating: z.number().int().min(1).max(5),
  }),
  z.object({
    action: z.literal("booked"),
    booking_id: uuid,
    starts_at: z.string(),
    team_member_id: uuid,
  }),
  z.object({ action: z.literal("declined") }),
  z.object({ action: z.literal("offer_over"), status: z.string() }),
]);
export type QuickReplyOutcome = z.infer<typeof quickReplyOutcome>;

const KINDS = ["reminder", "feedback", "waitlist"] as const;
type Kind = typeof KINDS[number];

/** Which of this feature's quick replies a payload is, if any. */
export function quickReplyKind(replyId: string | null): Kind | null {
  const prefix = replyId?.split(":", 1)[0];
  return KINDS.find((k) => k === prefix) ?? null;
}

/**
 * Decides a tapped reminder / feedback / waitlist quick reply; null when the payload is not one
 * of them. A forged or foreign payload raises the SQL error (BK003, BK004) and changes nothing.
 */
export async function handleBookingQuickReply(
  tx: postgres.TransactionSql,
  contactId: string,
  replyId: string | null,
  now: Date,
): Promise<QuickReplyOutcome | null> {
  const kind = quickReplyKind(replyId);
  if (!kind) return null;
  const [row] = kind === "reminder"
    ? await tx`select private.handle_reminder_reply(${contactId}, ${replyId}, ${now}) as outcome`
    : kind === "feedback"
    ? await tx`select private.handle_feedback_reply(${contactId}, ${replyId}, ${now}) as outcome`
    : await tx`select private.handle_waitlist_reply(${contactId}, ${replyId}, ${now}) as outcome`;
  return quickReplyOutcome.parse(row.outcome);
}
