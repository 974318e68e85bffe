// POST /functions/v1/calendar-sync — syncs team members' calendars (guide: every 15 minutes, on
// demand, nightly). Called with the service role by pg_cron through net.http_post, or by an
// admin's "Test sync". Body: {"teamMemberId": "<uuid>"} | {"due": true} | {"all": true},
// optionally "refreshCacheAfter": true; or {"writeBack": true} to write queued bookings to
// read-write calendars (the bookings trigger queues it).
import { z } from "zod";
import { requireServiceRole } from "../_shared/auth.ts";
import { db } from "../_shared/db.ts";
import { env } from "../_shared/env.ts";
import { json, readJson, withErrors } from "../_shared/http.ts";
import { runSync } from "./sync.ts";
import { runWriteBack } from "./write_back.ts";

export const requestSchema = z.object({
  teamMemberId: z.uuid().optional(),
  due: z.literal(true).optional(),
  all: z.literal(true).optional(),
  writeBack: z.literal(true).optional(),
  refreshCacheAfter: z.boolean().optional(),
}).strict().refine(
  (body) =>
    [body.teamMemberId !== undefined, body.due === true, body.all === true, body.writeBack === true]
      .filter(Boolean).length === 1,
  {
    message:
      'say what to do: exactly one of "teamMemberId", "due": true, "all": true or "writeBack": true',
  },
);

export const handler = withErrors("calendar-sync", async (req) => {
  requireServiceRole(req);
  const body = await readJson(req, requestSchema);
  const options = {
    timeoutMs: env().CALENDAR_FETCH_TIMEOUT_MS,
    maxBytes: env().CALENDAR_MAX_FEED_BYTES,
    allowPrivateHosts: env().CALENDAR_ALLOW_PRIVATE_HOSTS,
  };
  return json(
    body.writeBack ? await runWriteBack(db(), options) : await runSync(db(), body, options),
  );
});

if (import.meta.main) Deno.serve(handler);
