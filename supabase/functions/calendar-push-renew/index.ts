// POST /functions/v1/calendar-push-renew — service role (pg_cron, hourly, through
// private.queue_calendar_push_renewal). Opens push channels for connected Google/Outlook calendars
// that have none, replaces those expiring within a day, and stops those of disconnected members.
import type postgres from "postgres";
import { requireServiceRole } from "../_shared/auth.ts";
import { db } from "../_shared/db.ts";
import { env } from "../_shared/env.ts";
import { json, withErrors } from "../_shared/http.ts";
import type { FunctionRow, PgRow } from "../_shared/database.ts";
import { type ConnectedDeps, freshAccessToken } from "../_shared/calendar/connected.ts";
import { FeedError } from "../_shared/calendar/fetch_feed.ts";
import { type OAuthProvider, providerLabel } from "../_shared/calendar/oauth.ts";
import {
  deleteGraphSubscription,
  openGoogleChannel,
  openGraphSubscription,
  stopGoogleChannel,
} from "../_shared/calendar/push.ts";

type Work = PgRow<FunctionRow<"calendar_push_work", "private">, {
  provider: OAuthProvider; // the table's check constraint
  calendar_id: string | null;
  action: "open" | "stop";
  channel_id: string | null;
  resource_id: string | null;
}>;

export type RenewOptions = ConnectedDeps & {
  notificationUrl: string;
  timeoutMs: number;
  now?: () => Date;
};

export async function renewPushChannels(sql: postgres.Sql, options: RenewOptions) {
  const now = options.now?.() ?? new Date();
  const work = await sql<Work[]>`select * from private.calendar_push_work(${now})`;
  const outcomes: {
    teamMemberId: string;
    action: string;
    result: "done" | "failed";
    error?: string;
  }[] = [];
  for (const item of work) {
    const who = `${item.name} (${item.team_member_id})`;
    try {
      const [{ secret }] = await sql<{ secret: string | null }[]>`
        select private.calendar_secret(${item.team_member_id}::uuid) as secret`;
      const stop = async (
        accessToken: string,
        config: { googleApiUrl: string; graphApiUrl: string },
      ) => {
        if (!item.channel_id) return;
        const ctx = {
          accessToken,
          label: providerLabel[item.provider],
          timeoutMs: options.timeoutMs,
          sleep: options.sleep,
        };
        if (item.provider === "google") {
          await stopGoogleChannel(ctx, config.googleApiUrl, item.channel_id, item.resource_id);
        } else await deleteGraphSubscription(ctx, config.graphApiUrl, item.channel_id);
      };
      if (item.action === "stop") {
        // The member's secret may now belong to another provider: stopping is best effort, the
        // channel expires on its own; it is forgotten either way.
        try {
          const { accessToken, config } = await freshAccessToken(
            sql,
            item.provider,
            { teamMemberId: item.team_member_id, name: item.name },
            secret,
            options.timeoutMs,
            options,
          );
          await stop(accessToken, config);
        } catch {
          // see above
        }
        await sql`select private.forget_calendar_push_channel(${item.channel_id})`;
        outcomes.push({ teamMemberId: item.team_member_id, action: "stop", result: "done" });
        continue;
      }
      const { accessToken, config } = await freshAccessToken(
        sql,
        item.provider,
        { teamMemberId: item.team_member_id, name: item.name },
        secret,
        options.timeoutMs,
        options,
      );
      const ctx = {
        accessToken,
        label: providerLabel[item.provider],
        timeoutMs: options.timeoutMs,
        sleep: options.sleep,
      };
      const opened = item.provider === "google"
        ? await openGoogleChannel(
          ctx,
          config.googleApiUrl,
          item.calendar_id ?? "primary",
          options.notificationUrl,
          now,
        )
        : await openGraphSubscription(
          ctx,
          config.graphApiUrl,
          item.calendar_id,
          options.notificationUrl,
          now,
        );
      await sql`select private.record_calendar_push_channel(${item.team_member_id}::uuid, ${item.provider},
        ${opened.channelId}, ${opened.resourceId}, ${opened.token}, ${opened.expiresAt})`;
      // The old channel is replaced: stop it (best effort; it expires anyway).
      await stop(accessToken, config).catch(() => {});
      outcomes.push({ teamMemberId: item.team_member_id, action: "open", result: "done" });
      console.log(
        `[calendar-push-renew] ${who}: ${item.provider} push channel open until ${opened.expiresAt.toISOString()}`,
      );
    } catch (error) {
      const message = error instanceof FeedError
        ? error.message
        : "opening the push channel failed unexpectedly";
      outcomes.push({
        teamMemberId: item.team_member_id,
        action: item.action,
        result: "failed",
        error: message,
      });
      console.error(`[calendar-push-renew] ${who}: ${message}`);
    }
  }
  return { channels: outcomes };
}

export const handler = withErrors("calendar-push-renew", async (req) => {
  requireServiceRole(req);
  await req.body?.cancel();
  return json(
    await renewPushChannels(db(), {
      notificationUrl: `${
        env().SUPABASE_URL.replace(/\/$/, "")
      }/functions/v1/calendar-notifications`,
      timeoutMs: env().CALENDAR_FETCH_TIMEOUT_MS,
    }),
  );
});

if (import.meta.main) Deno.serve(handler);
