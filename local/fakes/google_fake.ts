// Fake Google: OAuth 2.0 web-server flow and Calendar v3 events (list with singleEvents, paging,
// syncToken and 410 fullSyncRequired; insert with client ids and 409 duplicate; patch; delete).
import {
  type Account,
  account,
  accountOfAccess,
  accountOfRefresh,
  clientOk,
  deleteEvent,
  injectedFailure,
  issueCode,
  issueTokens,
  jsonResponse,
  maybeLoseAnswer,
  putEvent,
  takeCode,
} from "./fake_accounts.ts";

const googleError = (code: number, reason: string, message: string, extra = {}) =>
  jsonResponse({
    error: { errors: [{ domain: "global", reason, message, ...extra }], code, message },
  }, code);

export async function fakeGoogle(req: Request, url: URL): Promise<Response> {
  const path = url.pathname.slice("/google".length);
  if (path === "/auth") return consent(url);
  if (path === "/token" && req.method === "POST") {
    return token(new URLSearchParams(await req.text()));
  }
  const watch = /^\/calendar\/v3\/calendars\/[^/]+\/events\/watch$/.test(path);
  const stop = path === "/calendar/v3/channels/stop";
  const events = /^\/calendar\/v3\/calendars\/([^/]+)\/events(?:\/([^/]+))?$/.exec(path);
  if (!events && !stop) return googleError(404, "notFound", "Not Found");
  const acc = accountOfAccess(req);
  if (!acc) {
    return googleError(401, "authError", "Invalid Credentials", {
      locationType: "header",
      location: "Authorization",
    });
  }
  acc.log.push(`${req.method} ${path}${url.search}`);
  const failure = injectedFailure(acc);
  if (failure) return failure;
  if (watch && req.method === "POST") return openChannel(acc, await req.json());
  if (stop && req.method === "POST") {
    const { id } = await req.json();
    return acc.channels.delete(id)
      ? new Response(null, { status: 204 })
      : googleError(404, "notFound", `Channel '${id}' not found for project`);
  }
  const eventId = events![2] ? decodeURIComponent(events![2]) : undefined;
  return maybeLoseAnswer(acc, req, async () => {
    if (req.method === "GET" && !eventId) return list(acc, url);
    if (req.method === "POST" && !eventId) return insert(acc, await req.json());
    if (req.method === "PATCH" && eventId) return patch(acc, eventId, await req.json());
    if (req.method === "DELETE" && eventId) {
      return deleteEvent(acc, eventId)
        ? new Response(null, { status: 204 })
        : googleError(410, "deleted", "Resource has been deleted");
    }
    return googleError(405, "httpMethodNotAllowed", "Method not allowed");
  });
}

// The consent page approves at once, signing in `login_hint` (default "demo").
function consent(url: URL): Response {
  const redirectUri = url.searchParams.get("redirect_uri");
  const clientId = url.searchParams.get("client_id");
  if (!redirectUri || !clientId || clientId !== Deno.env.get("GOOGLE_CLIENT_ID")) {
    return new Response("Error 401: invalid_client", { status: 401 });
  }
  const acc = account("google", url.searchParams.get("login_hint") ?? "demo");
  const back = new URL(redirectUri);
  back.searchParams.set("state", url.searchParams.get("state") ?? "");
  back.searchParams.set("code", issueCode(acc, redirectUri, clientId));
  back.searchParams.set("scope", url.searchParams.get("scope") ?? "");
  return new Response(null, { status: 302, headers: { location: back.toString() } });
}

function token(form: URLSearchParams): Response {
  const invalidGrant = (description: string) =>
    jsonResponse({ error: "invalid_grant", error_description: description }, 400);
  if (!clientOk("google", form)) {
    return jsonResponse({ error: "invalid_client", error_description: "Unauthorized" }, 401);
  }
  if (form.get("grant_type") === "authorization_code") {
    const code = takeCode(form.get("code") ?? "");
    if (!code || code.redirectUri !== form.get("redirect_uri")) return invalidGrant("Bad Request");
    const tokens = issueTokens(code.account);
    return jsonResponse({
      access_token: tokens.access,
      refresh_token: tokens.refresh,
      expires_in: 3599,
      scope: "https://www.googleapis.com/auth/calendar.events",
      token_type: "Bearer",
    });
  }
  if (form.get("grant_type") === "refresh_token") {
    const acc = accountOfRefresh(form.get("refresh_token") ?? "");
    if (!acc) return invalidGrant("Token has been expired or revoked.");
    // Google keeps the refresh token: only a new access token comes back.
    const { access } = issueTokens(acc);
    return jsonResponse({ access_token: access, expires_in: 3599, token_type: "Bearer" });
  }
  return jsonResponse({ error: "unsupported_grant_type" }, 400);
}

const instant = (t: unknown) => {
  const time = t as { dateTime?: string; date?: string } | undefined;
  return Date.parse(time?.dateTime ?? `${time?.date}T00:00:00Z`);
};

function list(acc: Account, url: URL): Response {
  const q = url.searchParams;
  const syncToken = q.get("syncToken");
  if (syncToken && (q.has("timeMin") || q.has("timeMax") || q.has("orderBy"))) {
    return googleError(
      400,
      "invalid",
      "Sync token cannot be combined with timeMin, timeMax or orderBy.",
    );
  }
  let items: Record<string, unknown>[];
  if (syncToken) {
    const since = Number(/^sync-(\d+)$/.exec(syncToken)?.[1] ?? NaN);
    if (Number.isNaN(since) || since < acc.validFromSeq) {
      return jsonResponse({
        error: {
          errors: [{
            domain: "calendar",
            reason: "fullSyncRequired",
            message: "Sync token is no longer valid, a full sync is required.",
            locationType: "parameter",
            location: "syncToken",
          }],
          code: 410,
          message: "Sync token is no longer valid, a full sync is required.",
        },
      }, 410);
    }
    // Changes since the token, deleted ones as cancelled with only their id.
    items = [...acc.events.values()].filter((e) => e.seq > since)
      .map((e) => e.deleted ? { id: e.body.id, status: "cancelled" } : e.body);
  } else {
    const min = Date.parse(q.get("timeMin") ?? "0000-01-01T00:00:00Z");
    const max = Date.parse(q.get("timeMax") ?? "9999-12-31T00:00:00Z");
    items = [...acc.events.values()].filter((e) =>
      !e.deleted && e.body.status !== "cancelled" && instant(e.body.end) > min &&
      instant(e.body.start) < max
    ).map((e) => e.body);
  }
  const offset = Number(q.get("pageToken") ?? "0");
  const size = Math.min(Number(q.get("maxResults") ?? "250"), acc.pageSize);
  const page = items.slice(offset, offset + size);
  const more = offset + size < items.length;
  return jsonResponse({
    kind: "calendar#events",
    etag: `"p${acc.seq}"`,
    summary: `${acc.name}@example.com`,
    timeZone: "Europe/Zurich",
    accessRole: "owner",
    items: page,
    ...(more ? { nextPageToken: String(offset + size) } : { nextSyncToken: `sync-${acc.seq}` }),
  });
}

function insert(acc: Account, body: Record<string, unknown>): Response {
  const id = typeof body.id === "string" ? body.id : crypto.randomUUID().replaceAll("-", "");
  if (!/^[a-v0-9]{5,1024}$/.test(id)) {
    return googleError(400, "invalid", "Invalid resource id value.");
  }
  if (acc.events.has(id)) {
    return googleError(409, "duplicate", "The requested identifier already exists.");
  }
  if (!body.start || !body.end) return googleError(400, "required", "Missing end time.");
  putEvent(acc, id, { ...body, status: "confirmed", eventType: "default" });
  return jsonResponse(acc.events.get(id)!.body);
}

function patch(acc: Account, id: string, body: Record<string, unknown>): Response {
  const found = acc.events.get(id);
  if (!found || found.deleted) return googleError(404, "notFound", "Not Found");
  putEvent(acc, id, { ...found.body, ...body });
  return jsonResponse(acc.events.get(id)!.body);
}

function openChannel(acc: Account, body: Record<string, unknown>): Response {
  const { id, type, address, token } = body as Record<string, string>;
  if (type !== "web_hook" || !id || id.length > 64 || !/^https?:\/\//.test(address ?? "")) {
    return googleError(400, "invalid", "Invalid channel");
  }
  if (acc.channels.has(id)) return googleError(400, "channelIdNotUnique", "Channel id not unique");
  const ttl = Number((body.params as { ttl?: string } | undefined)?.ttl ?? "604800");
  const channel = {
    id,
    address,
    token: token ?? "",
    resourceId: `res-${crypto.randomUUID()}`,
    expiration: String(Date.now() + Math.min(ttl, 2_592_000) * 1000),
  };
  acc.channels.set(id, channel);
  return jsonResponse({
    kind: "api#channel",
    id,
    resourceId: channel.resourceId,
    resourceUri: "https://www.googleapis.com/calendar/v3/calendars/primary/events?alt=json",
    token: channel.token,
    expiration: channel.expiration,
  });
}
