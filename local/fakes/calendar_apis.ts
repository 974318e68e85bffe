// Local stand-ins for Google (OAuth + Calendar v3) and Microsoft (identity platform + Graph),
// answering as the documented contracts say (status codes, error bodies, paging, sync tokens and
// delta links, 410 for an expired position, 429 with Retry-After, invalid_grant). Never reached
// by a hosted project: the functions' base URLs point here only in the local stacks.
//
//   /google/auth, /google/token, /google/calendar/v3/calendars/{id}/events[/{eventId}]
//   /microsoft/{tenant}/oauth2/v2.0/authorize|token, /microsoft/graph/v1.0/me[/calendars/{id}]/calendarView/delta,
//   /microsoft/graph/v1.0/me/events[/{id}]
//   /_fake/{google|microsoft}/{account}/...   test controls (events, revoke, expire, fail, log)
//
// The consent page signs in the account named by `login_hint` (tests) or "demo". Events are
// stored as the API returns them; recurring series are stored as their instances (singleEvents).
import { fakeGoogle } from "./google_fake.ts";
import { fakeMicrosoft } from "./microsoft_fake.ts";
import { accounts, controlRequest } from "./fake_accounts.ts";

export function handler(req: Request): Promise<Response> | Response {
  const url = new URL(req.url);
  if (url.pathname.startsWith("/_fake/")) return controlRequest(req, url);
  if (url.pathname.startsWith("/google/")) return fakeGoogle(req, url);
  if (url.pathname.startsWith("/microsoft/")) return fakeMicrosoft(req, url);
  return new Response("not found", { status: 404 });
}

export { accounts };

if (import.meta.main) {
  const port = Number(Deno.env.get("CALENDAR_API_FAKE_PORT") ?? "54320");
  Deno.serve({ hostname: "127.0.0.1", port }, handler);
}
