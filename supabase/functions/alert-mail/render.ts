// Turns the alert events of one mail into its subject and plain text. Alert messages are written
// without secrets, but the mail leaves the system: addresses (URLs) and long token-like strings
// are removed anyway, control characters cannot reach a header, and sizes are bounded.

export type AlertEvent = {
  event: "opened" | "resolved";
  kind: string;
  message: string;
  team_member: string | null;
  at: string;
  local_time?: string;
};

const MAX_EVENTS = 50;
const MAX_MESSAGE = 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Removes what could be a secret: URLs (with their credentials and tokens) and long tokens. */
export function redact(text: string): string {
  return text
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, "[address removed]")
    .replace(/[A-Za-z0-9_\-+/=.]{32,}/g, (token) => UUID.test(token) ? token : "[removed]");
}

/** One line, printable, bounded: for headers and titles. */
function oneLine(text: string, max = 120): string {
  // Control characters on purpose: CR/LF and friends must never reach a mail header.
  // deno-lint-ignore no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ").replace(/\s+/g, " ").trim();
  return flat.length > max ? flat.slice(0, max - 1) + "…" : flat;
}

function humanKind(kind: string): string {
  const words = kind.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The headline of one event, e.g. "Dr. Weber's calendar syncs again". */
export function title(e: AlertEvent): string {
  const who = e.team_member ? oneLine(e.team_member, 80) : null;
  const opened = e.event === "opened";
  switch (e.kind) {
    case "calendar_sync_failing":
      if (who) {
        return opened ? `${who}'s calendar is failing to sync` : `${who}'s calendar syncs again`;
      }
      break;
    case "calendar_secret_rotation":
      if (who) {
        return opened
          ? `${who}'s calendar secret should be rotated`
          : `${who}'s calendar secret was rotated`;
      }
      break;
    case "conversation_handoff":
      return opened
        ? "A customer asked to talk to a person"
        : "Resolved: a customer's conversation was handed back to the bot";
    case "whatsapp_send_failed":
      return opened
        ? "A booking confirmation could not be delivered on WhatsApp"
        : "Resolved: undelivered booking confirmation";
  }
  const base = humanKind(oneLine(e.kind, 60)) + (who ? ` (${who})` : "");
  return opened ? base : `Resolved: ${base}`;
}

export function renderAlertMail(
  businessName: string,
  events: AlertEvent[],
): { subject: string; text: string } {
  const business = oneLine(businessName, 60);
  const opened = events.filter((e) => e.event === "opened").length;
  const resolved = events.length - opened;
  const subject = events.length === 1
    ? `[${business}] ${redact(title(events[0]))}`
    : `[${business}] ${events.length} alerts: ${opened} new, ${resolved} resolved`;

  const lines = [`${events.length === 1 ? "An alert" : "Alerts"} from ${business}:`, ""];
  for (const e of events.slice(0, MAX_EVENTS)) {
    lines.push(`* ${redact(title(e))}`);
    if (e.event === "opened") {
      // Cut before redacting (a 5 MB message would cost seconds), well beyond what is kept.
      const message = redact(e.message.slice(0, MAX_MESSAGE * 4).replace(/\r\n?/g, "\n"));
      const bounded = message.length > MAX_MESSAGE ? message.slice(0, MAX_MESSAGE) + "…" : message;
      lines.push(...bounded.split("\n").map((l) => `  ${l}`));
    }
    lines.push(`  (${e.event} ${oneLine(e.local_time ?? e.at, 40)})`, "");
  }
  if (events.length > MAX_EVENTS) lines.push(`… and ${events.length - MAX_EVENTS} more.`, "");
  lines.push("Open admin_alerts in Supabase Studio for details.");
  return { subject: oneLine(subject, 200), text: lines.join("\n") + "\n" };
}
