// Opening and closing push channels: Google events.watch / channels.stop and Microsoft Graph
// subscriptions (create, renew, delete). Graph checks the notification URL with a validationToken
// request before it answers the create (calendar-notifications answers it).
import { z } from "zod";
import { FeedError } from "./fetch_feed.ts";
import { type ApiContext, apiRequest } from "./provider_api.ts";

export type OpenedChannel = {
  channelId: string;
  resourceId: string | null;
  token: string;
  expiresAt: Date;
};

// Google's default channel lifetime is a week; Graph allows at most 7 days for Outlook events.
const GOOGLE_TTL_SECONDS = 7 * 24 * 3600;
const GRAPH_LIFETIME_MS = 3 * 24 * 3600 * 1000;

/** A random secret the provider echoes with every notification (token / clientState). */
export function channelToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/[+/=]/g, "").slice(0, 40);
}

const googleChannel = z.object({
  id: z.string(),
  resourceId: z.string(),
  expiration: z.coerce.number().optional(),
});

export async function openGoogleChannel(
  ctx: ApiContext,
  apiUrl: string,
  calendarId: string,
  address: string,
  now: Date,
): Promise<OpenedChannel> {
  const token = channelToken();
  const res = await apiRequest(
    ctx,
    `${apiUrl}/calendars/${encodeURIComponent(calendarId)}/events/watch`,
    {
      method: "POST",
      body: {
        id: crypto.randomUUID(),
        type: "web_hook",
        address,
        token,
        params: { ttl: String(GOOGLE_TTL_SECONDS) },
      },
    },
  );
  const body = googleChannel.safeParse(await res.json().catch(() => null));
  if (!body.success) throw new FeedError(`${ctx.label} answered the watch request unreadably`);
  return {
    channelId: body.data.id,
    resourceId: body.data.resourceId,
    token,
    expiresAt: new Date(body.data.expiration ?? now.getTime() + GOOGLE_TTL_SECONDS * 1000),
  };
}

export async function stopGoogleChannel(
  ctx: ApiContext,
  apiUrl: string,
  channelId: string,
  resourceId: string | null,
): Promise<void> {
  const res = await apiRequest(ctx, `${apiUrl}/channels/stop`, {
    method: "POST",
    body: { id: channelId, resourceId },
  }, [404]);
  await res.body?.cancel();
}

const graphSubscription = z.object({ id: z.string(), expirationDateTime: z.string() });

export async function openGraphSubscription(
  ctx: ApiContext,
  graphUrl: string,
  calendarId: string | null,
  notificationUrl: string,
  now: Date,
): Promise<OpenedChannel> {
  const token = channelToken();
  const res = await apiRequest(ctx, `${graphUrl}/subscriptions`, {
    method: "POST",
    body: {
      changeType: "created,updated,deleted",
      notificationUrl,
      resource: calendarId ? `me/calendars/${calendarId}/events` : "me/events",
      expirationDateTime: new Date(now.getTime() + GRAPH_LIFETIME_MS).toISOString(),
      clientState: token,
    },
  });
  const body = graphSubscription.safeParse(await res.json().catch(() => null));
  if (!body.success) throw new FeedError(`${ctx.label} answered the subscription unreadably`);
  return {
    channelId: body.data.id,
    resourceId: null,
    token,
    expiresAt: new Date(body.data.expirationDateTime),
  };
}

export async function deleteGraphSubscription(
  ctx: ApiContext,
  graphUrl: string,
  subscriptionId: string,
): Promise<void> {
  const res = await apiRequest(
    ctx,
    `${graphUrl}/subscriptions/${encodeURIComponent(subscriptionId)}`,
    { method: "DELETE" },
    [404],
  );
  await res.body?.cancel();
}
