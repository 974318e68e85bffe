// POST /functions/v1/calendar-notifications (verify_jwt = false: Google and Microsoft call it
// without a Supabase key; each notification proves itself with its channel's token).
// - Graph's validation handshake (?validationToken=...): the token back as text/plain, at once.
// - Google (X-Goog-Channel-ID / X-Goog-Channel-Token headers) and Graph ({"value": [...]} with
//   subscriptionId and clientState): private.calendar_push_notified checks the token against the
//   stored hash and queues a sync of that member only. Forged or unknown: 401/403, nothing queued.
// Answers within a moment (one SQL call per notification; the sync itself runs elsewhere).
import type postgres from "postgres";
import { z } from "zod";
import { db } from "../_shared/db.ts";
import type { FunctionReturns } from "../_shared/database.ts";

const MAX_BODY_BYTES = 1_000_000;
const idValue = z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/);
const tokenValue = z.string().min(1).max(256);
const graphBody = z.object({
  value: z.array(z.object({ subscriptionId: idValue, clientState: tokenValue.nullish() }).loose())
    .min(1).max(1000),
});

const text = (status: number, body = "") =>
  new Response(body, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" },
  });

export function createHandler(sql: () => postgres.Sql = db) {
  return async (req: Request): Promise<Response> => {
    try {
      if (req.method !== "POST") return text(405);
      const validationToken = new URL(req.url).searchParams.get("validationToken");
      if (validationToken !== null) {
        // Graph: answer with the decoded token, as plain text, within 10 s.
        return validationToken.length > 0 && validationToken.length <= 4096
          ? text(200, validationToken)
          : text(400);
      }
      const channelId = req.headers.get("x-goog-channel-id");
      if (channelId !== null) {
        await req.body?.cancel();
        const id = idValue.safeParse(channelId);
        const token = tokenValue.safeParse(req.headers.get("x-goog-channel-token") ?? "");
        if (!id.success || !token.success) return text(401);
        const [row] = await sql()<
          { member: FunctionReturns<"calendar_push_notified", "private"> | null }[]
        >`
          select private.calendar_push_notified('google', ${id.data}, ${token.data}) as member`;
        return row.member ? text(200) : text(401);
      }
      const length = Number(req.headers.get("content-length") ?? "0");
      if (length > MAX_BODY_BYTES) return text(413);
      const raw = await req.text();
      if (raw.length > MAX_BODY_BYTES) return text(413);
      let parsed;
      try {
        parsed = graphBody.safeParse(JSON.parse(raw));
      } catch {
        return text(400);
      }
      if (!parsed.success) return text(400);
      let genuine = 0;
      // One check per subscription (a batch often repeats one subscription many times).
      const seen = new Map<string, string>();
      for (const n of parsed.data.value) {
        seen.set(`${n.subscriptionId}\n${n.clientState ?? ""}`, n.subscriptionId);
      }
      for (const [key, subscriptionId] of seen) {
        const clientState = key.slice(subscriptionId.length + 1);
        const [row] = await sql()<
          { member: FunctionReturns<"calendar_push_notified", "private"> | null }[]
        >`
          select private.calendar_push_notified('outlook', ${subscriptionId}, ${
          clientState || null
        }) as member`;
        if (row.member) genuine++;
      }
      return genuine > 0 ? text(202) : text(403);
    } catch (error) {
      console.error(
        `[calendar-notifications] failed (${error instanceof Error ? error.name : "unknown"})`,
      );
      return text(500);
    }
  };
}

export const handler = createHandler();

if (import.meta.main) Deno.serve(handler);
