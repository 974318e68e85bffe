// Meta's webhook payload (whatsapp_business_account), validated with zod, and flattened into the
// rows private.record_whatsapp_webhook stores: every entry, every change, every message and status.
import { z } from "zod";

const waId = z.string().regex(/^[1-9][0-9]{6,14}$/, "must be a phone number in digits");
const userId = z.string().regex(
  /^[A-Z]{2}\.[A-Za-z0-9]{1,128}$/,
  "must be a business-scoped user id",
);
// Epoch seconds between 2000 and 2999: anything else (year 9999, negative, huge) is not Meta's.
const epochSeconds = z.string().regex(/^[0-9]{9,11}$/).transform(Number)
  .refine((s) => s >= 946_684_800 && s < 32_503_680_000, "must be a time between 2000 and 3000");
const shortId = z.string().min(1).max(256);

const messageSchema = z.looseObject({
  id: shortId,
  from: waId.optional(),
  from_user_id: userId.optional(),
  timestamp: epochSeconds,
  type: z.string().regex(/^[a-z_]{1,40}$/),
  context: z.looseObject({ id: z.string().max(256).optional() }).optional(),
  text: z.looseObject({ body: z.string() }).optional(),
  interactive: z.looseObject({
    type: z.string(),
    button_reply: z.looseObject({ id: z.string(), title: z.string() }).optional(),
    list_reply: z.looseObject({ id: z.string(), title: z.string() }).optional(),
  }).optional(),
  button: z.looseObject({ payload: z.string().optional(), text: z.string().optional() }).optional(),
});

const statusSchema = z.looseObject({
  id: shortId,
  status: z.string().max(40),
  timestamp: epochSeconds,
  recipient_id: z.string().max(256).optional(),
  errors: z.array(
    z.looseObject({ code: z.number().int().optional(), title: z.string().optional() }),
  )
    .optional(),
});

export const messagesValueSchema = z.looseObject({
  metadata: z.looseObject({ phone_number_id: z.string().max(64) }).optional(),
  contacts: z.array(z.looseObject({
    wa_id: waId.optional(),
    user_id: userId.optional(),
    profile: z.looseObject({ name: z.string().optional() }).optional(),
  })).max(1000).optional(),
  messages: z.array(messageSchema).max(1000).optional(),
  statuses: z.array(statusSchema).max(1000).optional(),
});

export const webhookSchema = z.object({
  object: z.literal("whatsapp_business_account"),
  entry: z.array(z.looseObject({
    id: z.string().max(64),
    changes: z.array(z.looseObject({ field: z.string().max(100), value: z.unknown() })).max(1000),
  })).max(1000),
});

export interface StoredMessage {
  wa_message_id: string;
  wa_id: string | null;
  user_id: string | null;
  profile_name: string | null;
  phone_number_id: string | null;
  kind: string;
  text: string | null;
  reply_id: string | null;
  context_id: string | null;
  timestamp: number;
  payload: unknown;
}

export interface StoredStatus {
  id: string;
  status: string;
  timestamp: number;
  error_code: number | null;
  error_title: string | null;
}

export class PayloadError extends Error {}

/** Postgres text and jsonb cannot hold U+0000; Meta would retry a 500 for a week. */
function withoutNul<T>(value: T): T {
  if (typeof value === "string") return value.replaceAll("\u0000", "") as T;
  if (Array.isArray(value)) return value.map(withoutNul) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k.replaceAll("\u0000", ""), withoutNul(v)]),
    ) as T;
  }
  return value;
}

function describe(message: z.infer<typeof messageSchema>) {
  const button = message.interactive?.button_reply;
  const row = message.interactive?.list_reply;
  if (message.type === "text") {
    return { kind: "text", text: message.text?.body ?? "", replyId: null };
  }
  if (message.type === "interactive" && button) {
    return { kind: "button_reply", text: button.title, replyId: button.id };
  }
  if (message.type === "interactive" && row) {
    return { kind: "list_reply", text: row.title, replyId: row.id };
  }
  if (message.type === "button") {
    return {
      kind: "button",
      text: message.button?.text ?? null,
      replyId: message.button?.payload ?? null,
    };
  }
  return { kind: message.type, text: null, replyId: null };
}

/**
 * Flattens a validated payload. Throws PayloadError (a 400) for a change of field "messages" that
 * does not match Meta's shape or a message without any sender id; other fields are ignored.
 */
export function flattenWebhook(payload: z.infer<typeof webhookSchema>): {
  messages: StoredMessage[];
  statuses: StoredStatus[];
} {
  const messages: StoredMessage[] = [];
  const statuses: StoredStatus[] = [];
  payload.entry.forEach((entry, e) =>
    entry.changes.forEach((change, c) => {
      if (change.field !== "messages") return;
      const parsed = messagesValueSchema.safeParse(change.value);
      if (!parsed.success) {
        const where = parsed.error.issues.map((i) => i.path.join(".")).slice(0, 5).join(", ");
        throw new PayloadError(
          `entry[${e}].changes[${c}].value does not match Meta's shape (${where})`,
        );
      }
      const value = withoutNul(parsed.data);
      const contacts = value.contacts ?? [];
      for (const message of value.messages ?? []) {
        const contact = contacts.find((k) =>
          (message.from !== undefined && k.wa_id === message.from) ||
          (message.from_user_id !== undefined && k.user_id === message.from_user_id)
        ) ?? (contacts.length === 1 ? contacts[0] : undefined);
        const wa = message.from ?? contact?.wa_id ?? null;
        const user = message.from_user_id ?? contact?.user_id ?? null;
        if (wa === null && user === null) {
          throw new PayloadError(`message ${message.id} has neither a wa_id nor a user_id`);
        }
        const { kind, text, replyId } = describe(message);
        messages.push({
          wa_message_id: message.id,
          wa_id: wa,
          user_id: user,
          profile_name: contact?.profile?.name ?? null,
          phone_number_id: value.metadata?.phone_number_id ?? null,
          kind,
          text,
          reply_id: replyId,
          context_id: message.context?.id ?? null,
          timestamp: message.timestamp,
          payload: message,
        });
      }
      for (const status of value.statuses ?? []) {
        statuses.push({
          id: status.id,
          status: status.status,
          timestamp: status.timestamp,
          error_code: status.errors?.[0]?.code ?? null,
          error_title: status.errors?.[0]?.title ?? null,
        });
      }
    })
  );
  return { messages, statuses };
}
