// POST /functions/v1/cache-refresh — the nightly availability batch (guide: 2 AM, next 30 days,
// all active team members). pg_cron calls it with the service role; the work is done by
// refresh_availability_cache() in SQL, a batch of team members per call so that no single
// transaction holds the cache for long.
import { z } from "zod";
import { requireServiceRole } from "../_shared/auth.ts";
import { db } from "../_shared/db.ts";
import type { FunctionArgs, FunctionReturns, Tables } from "../_shared/database.ts";
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
  const [window] = await sql<{ from: string; days: Tables<"business_settings">["horizon_days"] }[]>`
    select coalesce(${body.from ?? null}::date, private.local_date(now()))::text as from,
           coalesce(${body.days ?? null}::int, horizon_days) as days
    from public.business_settings where id`;
  const members = await sql<Pick<Tables<"team_members">, "id">[]>`
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
    const args: Required<FunctionArgs<"refresh_availability_cache">> = {
      p_from: window.from,
      p_days: window.days,
      p_team_member_ids: ids,
    };
    const [row] = await sql<{ written: FunctionReturns<"refresh_availability_cache"> }[]>`
      select public.refresh_availability_cache(p_from => ${args.p_from}::date,
        p_days => ${args.p_days}::int, p_team_member_ids => ${args.p_team_member_ids}::uuid[]) as written`;
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
