// Builds webhook payloads exactly as Meta's WhatsApp Cloud API sends them, signs them with the
// app secret and posts them. Shared by the chat simulator, the tests and the benchmark.
import { signBody } from "../../supabase/functions/_shared/whatsapp/signature.ts";

export const BUSINESS_PHONE_NUMBER_ID = "106540352242922";

let counter = 0;
/** A fresh Meta-style message id. */
export function wamid(): string {
  counter++;
  const random = crypto.getRandomValues(new Uint8Array(12));
  return "wamid.HBgL" + btoa(String.fromCharCode(...random)).replace(/[+/=]/g, "") + counter;
}

export interface Sender {
  /** Digits without '+', or null for a username user known only by user_id. */
  waId: string | null;
  userId?: string | null;
  name?: string;
}

export type InboundContent =
  | { type: "text"; body: string }
  | { type: "button_reply" | "list_reply"; id: string; title: string; context?: string }
  | { type: "button"; payload: string; text: string; context?: string }
  | { type: "image" | "audio" | "sticker" | "reaction" | "location" | "unsupported" };

export function inboundMessage(
  from: Sender,
  content: InboundContent,
  timestamp: number,
  id = wamid(),
): Record<string, unknown> {
  const base: Record<string, unknown> = {
    ...(from.waId ? { from: from.waId } : {}),
    ...(from.userId ? { from_user_id: from.userId } : {}),
    id,
    timestamp: String(timestamp),
  };
  switch (content.type) {
    case "text":
      return { ...base, type: "text", text: { body: content.body } };
    case "button_reply":
    case "list_reply":
      return {
        ...base,
        ...(content.context ? { context: { from: "15550783881", id: content.context } } : {}),
        type: "interactive",
        interactive: {
          type: content.type,
          [content.type]: { id: content.id, title: content.title },
        },
      };
    case "button":
      return {
        ...base,
        ...(content.context ? { context: { from: "15550783881", id: content.context } } : {}),
        type: "button",
        button: { payload: content.payload, text: content.text },
      };
    case "image":
      return { ...base, type: "image", image: { mime_type: "image/jpeg", sha256: "x", id: "1" } };
    case "audio":
      return { ...base, type: "audio", audio: { mime_type: "audio/ogg", id: "2", voice: true } };
    case "sticker":
      return { ...base, type: "sticker", sticker: { mime_type: "image/webp", id: "3" } };
    case "reaction":
      return { ...base, type: "reaction", reaction: { message_id: "wamid.x", emoji: "😮" } };
    case "location":
      return { ...base, type: "location", location: { latitude: 47.37, longitude: 8.54 } };
    case "unsupported":
      return {
        ...base,
        type: "unsupported",
        errors: [{ code: 131051, title: "Message type unknown" }],
      };
  }
}

export function messagesValue(
  from: Sender,
  messages: Record<string, unknown>[],
): Record<string, unknown> {
  return {
    messaging_product: "whatsapp",
    metadata: { display_phone_number: "15550783881", phone_number_id: BUSINESS_PHONE_NUMBER_ID },
    contacts: [{
      profile: { name: from.name ?? "Customer" },
      ...(from.waId ? { wa_id: from.waId } : {}),
      ...(from.userId ? { user_id: from.userId } : {}),
    }],
    messages,
  };
}

export function statusValue(
  statuses: {
    id: string;
    status: string;
    timestamp: number;
    recipient: string;
    error?: { code: number; title: string };
  }[],
): Record<string, unknown> {
  return {
    messaging_product: "whatsapp",
    metadata: { display_phone_number: "15550783881", phone_number_id: BUSINESS_PHONE_NUMBER_ID },
    statuses: statuses.map((s) => ({
      id: s.id,
      status: s.status,
      timestamp: String(s.timestamp),
      recipient_id: s.recipient,
      ...(s.error
        ? { errors: [{ code: s.error.code, title: s.error.title, message: s.error.title }] }
        : {}),
    })),
  };
}

/** The envelope: one entry per array element, each with its changes' values. */
export function envelope(entries: Record<string, unknown>[][]): Record<string, unknown> {
  return {
    object: "whatsapp_business_account",
    entry: entries.map((values, i) => ({
      id: `10${i}`,
      changes: values.map((value) => ({ field: "messages", value })),
    })),
  };
}

/** Posts a body (string: sent byte for byte) signed with the app secret, like Meta. */
export async function postSigned(
  url: string,
  body: string,
  secret: string,
  signature?: string,
): Promise<Response> {
  return await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-hub-signature-256": signature ?? await signBody(body, secret),
    },
    body,
  });
}
