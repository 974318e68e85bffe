// GET /functions/v1/bookings-feed?token=… — a team member's upcoming bookings as an iCalendar
// feed for their calendar app. verify_jwt is off (calendar apps send no JWT): the random token
// is the credential, so any wrong, rotated or revoked token is a plain 404 that tells nothing.
import { z } from "zod";
import { db } from "../_shared/db.ts";
import type { FunctionRow, PgDate, PgRow } from "../_shared/database.ts";
import { HttpError, withErrors } from "../_shared/http.ts";
import { type FeedEvent, renderFeed } from "./render.ts";

// admin_rotate_booking_feed makes 32 random bytes, base64url without padding.
const tokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

type FeedRow = PgRow<FunctionRow<"booking_feed", "private">, {
  uid: string | null;
  sequence: number | null;
  starts_local: string | null;
  ends_local: string | null;
  service_name: string | null;
  customer_first_name: string | null;
  created_at: PgDate<string | null>;
  last_modified: PgDate<string | null>;
}>;

function notFound(): Response {
  return new Response("Not found\n", {
    status: 404,
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
}

export function makeHandler(clock: () => Date = () => new Date()) {
  return withErrors("bookings-feed", async (req) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      throw new HttpError(405, "Only GET and HEAD");
    }
    const token = tokenSchema.safeParse(new URL(req.url).searchParams.get("token"));
    if (!token.success) return notFound();
    const now = clock();
    const rows = await db()<FeedRow[]>`select * from private.booking_feed(${token.data}, ${now})`;
    if (rows.length === 0) return notFound();
    const events: FeedEvent[] = rows.filter((r) => r.uid !== null).map((r) => ({
      uid: r.uid!,
      sequence: r.sequence ?? 0,
      startsLocal: r.starts_local!,
      endsLocal: r.ends_local!,
      serviceName: r.service_name ?? "",
      customerFirstName: r.customer_first_name,
      createdAt: r.created_at!,
      lastModified: r.last_modified!,
    }));
    const body = renderFeed(
      { teamMemberName: rows[0].team_member_name, timeZone: rows[0].time_zone, events },
      now,
    );
    return new Response(req.method === "HEAD" ? null : body, {
      headers: {
        "content-type": "text/calendar; charset=utf-8",
        "content-disposition": 'inline; filename="bookings.ics"',
        // The URL is a credential: no shared cache may keep the feed.
        "cache-control": "private, no-store",
        "referrer-policy": "no-referrer",
      },
    });
  });
}

export const handler = makeHandler();

if (import.meta.main) Deno.serve(handler);
