// POST /functions/v1/cache-refresh — the nightly availability batch (guide: 2 AM, next 30 days,
// all active team members). pg_cron calls it with the service role; the work is done by
// refresh_availability_cache() in SQL, a batch of team members per call so that no single
// transaction holds the cache for long.
import { z } from "zod";
import { requireServiceRole } from "../_shared/auth.ts";
import { db } from "../_shared/db.ts";
import { json, readJson, withErrors } from "../_shared/http.ts";

export const requestSchema = z.object({
  from: z.iso.date().optional(),
  days: z.number().int().min(1).max(366).optional(),
  batchSize: z.number().int().min(1).max(500).default(25),
  teamMemberIds: z.array(z.uuid()).max(1000).optional(),
}).strict();

export const handler = withErrors("cache-refresh", async (req) => {
  requireServiceRole(req);
  const body = await readJson(req, requestSchema);
  const sql = db();
  const started = performance.now();
  const [window] = await sql<{ from: string; days: number }[]>`
    select coalesce(${body.from ?? null}::date, private.local_date(now()))::text as from,
           coalesce(${body.days ?? null}::int, horizon_days) as days
    from public.business_settings where id`;
  const members = await sql<{ id: string }[]>`
    select id from public.team_members
    where is_active and is_bookable
      and (${body.teamMemberIds ?? null}::uuid[] is null or id = any(${
    body.teamMemberIds ?? null
  }::uuid[]))
    order by id`;

  let entries = 0;
  let batches = 0;
  for (let i = 0; i < members.length; i += body.batchSize) {
    const ids = members.slice(i, i + body.batchSize).map((m) => m.id);
    const [row] = await sql<{ written: number }[]>`
      select public.refresh_availability_cache(${window.from}::date, ${window.days}::int, ${ids}::uuid[]) as written`;
    entries += row.written;
    batches++;
  }
  const ms = Math.round(performance.now() - started);
  console.log(
    `[cache-refresh] ${members.length} team members, ${batches} batches, ${entries} entries in ${ms} ms`,
  );
  return json({
    from: window.from,
    days: window.days,
    teamMembers: members.length,
    batches,
    entries,
    ms,
  });
});

if (import.meta.main) Deno.serve(handler);
