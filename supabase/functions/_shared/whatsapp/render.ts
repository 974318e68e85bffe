// Renders the channel-neutral message shape into Meta's /messages JSON, enforcing Meta's limits
// here, where the message is built: too-long text is shortened with "…", never left for Meta to
// reject; too many buttons become a list.
import type { OutboundMessage } from "./responder.ts";

export const LIMITS = {
  textBody: 4096,
  buttonsBody: 1024,
  buttonTitle: 20,
  buttonCount: 3,
  listBody: 4096,
  listButton: 20,
  rowTitle: 24,
  rowDescription: 72,
  rowCount: 10,
} as const;

/** At most `max` UTF-16 units (what Meta counts), cut between characters, "…" marking the cut. */
export function shorten(text: string, max: number): string {
  const clean = text.trim();
  if (clean.length <= max) return clean;
  let out = "";
  for (const char of clean) {
    if (out.length + char.length > max - 1) break;
    out += char;
  }
  return out.trimEnd() + "…";
}

/** Shortened titles that stay unique (Meta rejects duplicates): a clash gets " 2", " 3", ... */
export function uniqueTitles(titles: string[], max: number): string[] {
  const seen = new Set<string>();
  return titles.map((title) => {
    let candidate = shorten(title, max);
    for (let n = 2; seen.has(candidate); n++) {
      candidate = shorten(title, max - 2 - String(n).length) + ` ${n}`;
    }
    seen.add(candidate);
    return candidate;
  });
}

export type Recipient = { whatsappId: string | null; userId: string | null };

function addressing(to: Recipient): Record<string, string> {
  if (to.whatsappId) return { recipient_type: "individual", to: to.whatsappId };
  if (to.userId) return { recipient_type: "individual", recipient: to.userId };
  throw new Error("the contact has neither a WhatsApp number nor a user id");
}

function list(
  text: string,
  button: string,
  rows: { id: string; title: string; description?: string | null }[],
) {
  const kept = rows.slice(0, LIMITS.rowCount);
  const titles = uniqueTitles(kept.map((r) => r.title), LIMITS.rowTitle);
  return {
    type: "list",
    body: { text: shorten(text, LIMITS.listBody) },
    action: {
      button: shorten(button, LIMITS.listButton),
      sections: [{
        rows: kept.map((row, i) => ({
          id: row.id,
          title: titles[i],
          ...(row.description
            ? { description: shorten(row.description, LIMITS.rowDescription) }
            : {}),
        })),
      }],
    },
  };
}

export function renderMessage(message: OutboundMessage, to: Recipient): Record<string, unknown> {
  const base = { messaging_product: "whatsapp", ...addressing(to) };
  switch (message.type) {
    case "text":
      return {
        ...base,
        type: "text",
        text: { preview_url: false, body: shorten(message.text, LIMITS.textBody) },
      };
    case "buttons": {
      if (message.buttons.length > LIMITS.buttonCount) {
        const label = (message as { button?: string }).button ?? "☰";
        return {
          ...base,
          type: "interactive",
          interactive: list(message.text, label, message.buttons),
        };
      }
      const titles = uniqueTitles(message.buttons.map((b) => b.title), LIMITS.buttonTitle);
      return {
        ...base,
        type: "interactive",
        interactive: {
          type: "button",
          body: { text: shorten(message.text, LIMITS.buttonsBody) },
          action: {
            buttons: message.buttons.map((b, i) => ({
              type: "reply",
              reply: { id: b.id, title: titles[i] },
            })),
          },
        },
      };
    }
    case "list":
      return {
        ...base,
        type: "interactive",
        interactive: list(message.text, message.button, message.rows),
      };
    case "template":
      return {
        ...base,
        type: "template",
        template: {
          name: message.name,
          language: { code: message.language },
          ...(message.components ? { components: message.components } : {}),
        },
      };
  }
}
