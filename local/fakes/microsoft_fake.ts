// Fake Microsoft: identity platform v2.0 auth-code flow (a new refresh token with every token
// answer, the old one then refused) and Graph calendarView/delta (nextLink paging, deltaLink,
// @removed, 410 syncStateNotFound), events create (transactionId) / update / delete.
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

const graphError = (status: number, code: string, message: string) =>
  jsonResponse({
    error: {
      code,
      message,
      innerError: { date: new Date().toISOString(), "request-id": crypto.randomUUID() },
    },
  }, status);

export async function fakeMicrosoft(req: Request, url: URL): Promise<Response> {
  const login = /^\/microsoft\/([A-Za-z0-9.-]+)\/oauth2\/v2\.0\/(authorize|token)$/.exec(
    url.pathname,
  );
  if (login && login[2] === "authorize") return consent(url);
  if (login && req.method === "POST") return token(new URLSearchParams(await req.text()));
  const path = url.pathname.slice("/microsoft/graph/v1.0".length);
  if (!url.pathname.startsWith("/microsoft/graph/v1.0/")) return graphError(404, "NotFound", "?");
  const acc = accountOfAccess(req);
  if (!acc) {
    return graphError(401, "InvalidAuthenticationToken", "Access token is empty or invalid.");
  }
  acc.log.push(`${req.method} ${path}${url.search}`);
  const failure = injectedFailure(acc);
  if (failure) return failure;
  if (path === "/subscriptions" && req.method === "POST") return subscribe(acc, await req.json());
  const subscription = /^\/subscriptions\/([^/]+)$/.exec(path);
  if (subscription && req.method === "DELETE") {
    return acc.channels.delete(decodeURIComponent(subscription[1]))
      ? new Response(null, { status: 204 })
      : graphError(404, "ResourceNotFound", "The object was not found.");
  }
  if (/^\/me(\/calendars\/[^/]+)?\/calendarView\/delta$/.test(path) && req.method === "GET") {
    return delta(acc, url);
  }
  const event = /^\/me(?:\/calendars\/[^/]+)?\/events(?:\/([^/]+))?$/.exec(path);
  if (event && req.method === "POST" && !event[1]) {
    return maybeLoseAnswer(acc, req, async () => create(acc, await req.json()));
  }
  if (event && event[1]) {
    const id = decodeURIComponent(event[1]);
    const found = acc.events.get(id);
    if (!found || found.deleted) {
      return graphError(
        404,
        "ErrorItemNotFound",
        "The specified object was not found in the store.",
      );
    }
    if (req.method === "PATCH") {
      putEvent(acc, id, { ...found.body, ...(await req.json()) });
      return jsonResponse(acc.events.get(id)!.body);
    }
    if (req.method === "DELETE") {
      deleteEvent(acc, id);
      return new Response(null, { status: 204 });
    }
  }
  return graphError(400, "BadRequest", "Unsupported request");
}

function consent(url: URL): Response {
  const redirectUri = url.searchParams.get("redirect_uri");
  const clientId = url.searchParams.get("client_id");
  if (!redirectUri || !clientId || clientId !== Deno.env.get("MICROSOFT_CLIENT_ID")) {
    return new Response("AADSTS700016: Application not found", { status: 400 });
  }
  const acc = account("microsoft", url.searchParams.get("login_hint") ?? "demo");
  const back = new URL(redirectUri);
  back.searchParams.set("code", issueCode(acc, redirectUri, clientId));
  back.searchParams.set("state", url.searchParams.get("state") ?? "");
  back.searchParams.set("session_state", crypto.randomUUID());
  return new Response(null, { status: 302, headers: { location: back.toString() } });
}

function token(form: URLSearchParams): Response {
  const invalidGrant = () =>
    jsonResponse({
      error: "invalid_grant",
      error_description:
        "AADSTS70008: The provided authorization code or refresh token has expired due to inactivity.",
      error_codes: [70008],
      timestamp: new Date().toISOString(),
      trace_id: crypto.randomUUID(),
      correlation_id: crypto.randomUUID(),
    }, 400);
  if (!clientOk("microsoft", form)) {
    return jsonResponse({ error: "invalid_client", error_codes: [7000215] }, 401);
  }
  let acc: Account | undefined;
  if (form.get("grant_type") === "authorization_code") {
    const code = takeCode(form.get("code") ?? "");
    if (!code || code.redirectUri !== form.get("redirect_uri")) return invalidGrant();
    acc = code.account;
  } else if (form.get("grant_type") === "refresh_token") {
    const old = form.get("refresh_token") ?? "";
    acc = accountOfRefresh(old);
    if (!acc) return invalidGrant();
    acc.refreshTokens.delete(old); // rotated: whoever does not store the new one is locked out
  } else {
    return jsonResponse({ error: "unsupported_grant_type" }, 400);
  }
  const tokens = issueTokens(acc);
  return jsonResponse({
    token_type: "Bearer",
    scope: "https://graph.microsoft.com/Calendars.ReadWrite",
    expires_in: 3599,
    access_token: tokens.access,
    refresh_token: tokens.refresh,
  });
}

const utc = (t: unknown) => Date.parse(`${(t as { dateTime: string }).dateTime.slice(0, 19)}Z`);

function delta(acc: Account, url: URL): Response {
  const q = url.searchParams;
  const base = `${url.origin}${url.pathname}`;
  const deltaToken = q.get("$deltatoken");
  let items: Record<string, unknown>[];
  let window = `startDateTime=${encodeURIComponent(q.get("startDateTime") ?? "")}&endDateTime=${
    encodeURIComponent(q.get("endDateTime") ?? "")
  }`;
  if (deltaToken) {
    const [since, start, end] = deltaToken.split("~");
    if (Number(since) < acc.validFromSeq) {
      return graphError(410, "syncStateNotFound", "The sync state generation is not found.");
    }
    window = `startDateTime=${encodeURIComponent(start)}&endDateTime=${encodeURIComponent(end)}`;
    items = [...acc.events.values()].filter((e) => e.seq > Number(since)).map((e) =>
      e.deleted
        ? {
          "@odata.type": "#microsoft.graph.event",
          id: e.body.id,
          "@removed": { reason: "deleted" },
        }
        : e.body
    );
  } else {
    const min = Date.parse(q.get("startDateTime") ?? "");
    const max = Date.parse(q.get("endDateTime") ?? "");
    if (Number.isNaN(min) || Number.isNaN(max)) {
      return graphError(
        400,
        "ErrorInvalidParameter",
        "startDateTime and endDateTime are required.",
      );
    }
    items = [...acc.events.values()].filter((e) =>
      !e.deleted && utc(e.body.end) > min && utc(e.body.start) < max
    ).map((e) => e.body);
  }
  const offset = Number(q.get("$skiptoken") ?? "0");
  const page = items.slice(offset, offset + acc.pageSize);
  const more = offset + acc.pageSize < items.length;
  const params = new URLSearchParams(window);
  const windowOf = (p: URLSearchParams) => `${p.get("startDateTime")}~${p.get("endDateTime")}`;
  return jsonResponse({
    "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#Collection(event)",
    value: page,
    ...(more
      ? {
        "@odata.nextLink": `${base}?${
          deltaToken ? `$deltatoken=${deltaToken}&` : `${window}&`
        }$skiptoken=${offset + acc.pageSize}`,
      }
      : { "@odata.deltaLink": `${base}?$deltatoken=${acc.seq}~${windowOf(params)}` }),
  });
}

function create(acc: Account, body: Record<string, unknown>): Response {
  const tx = typeof body.transactionId === "string" ? body.transactionId : undefined;
  const existing = tx ? acc.transactions.get(tx) : undefined;
  if (existing && !acc.events.get(existing)?.deleted) {
    return jsonResponse(acc.events.get(existing)!.body, 201); // a retried POST: the same event
  }
  const id = `AAMkAD${crypto.randomUUID().replaceAll("-", "")}=`;
  putEvent(acc, id, { showAs: "busy", isCancelled: false, isAllDay: false, ...body });
  if (tx) acc.transactions.set(tx, id);
  return jsonResponse(acc.events.get(id)!.body, 201);
}

// Graph first checks the notification URL: it must echo the validation token as plain text within
// 10 s, else the subscription is refused with 400.
async function subscribe(acc: Account, body: Record<string, string>): Promise<Response> {
  const { notificationUrl, clientState, expirationDateTime, changeType, resource } = body;
  if (!notificationUrl || !changeType || !resource || !expirationDateTime) {
    return graphError(400, "InvalidRequest", "Missing required subscription properties.");
  }
  const expires = Date.parse(expirationDateTime);
  if (Number.isNaN(expires) || expires > Date.now() + 10_080 * 60_000) {
    return graphError(
      400,
      "InvalidRequest",
      "Subscription expiration can only be 10080 minutes in the future.",
    );
  }
  const validationToken =
    `Validation: Testing client application reachability for subscription Request-Id: ${crypto.randomUUID()}`;
  try {
    const res = await fetch(
      `${notificationUrl}?validationToken=${encodeURIComponent(validationToken)}`,
      {
        method: "POST",
        headers: { "content-type": "text/plain; charset=utf-8" },
        signal: AbortSignal.timeout(10_000),
      },
    );
    const echoed = await res.text();
    if (
      res.status !== 200 || echoed !== validationToken ||
      !(res.headers.get("content-type") ?? "").startsWith("text/plain")
    ) {
      return graphError(
        400,
        "ValidationError",
        "Subscription validation request failed. Response must exactly match validationToken query parameter.",
      );
    }
  } catch {
    return graphError(
      400,
      "ValidationError",
      "Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.",
    );
  }
  const id = crypto.randomUUID();
  acc.channels.set(id, {
    id,
    address: notificationUrl,
    token: clientState ?? "",
    resourceId: resource,
    expiration: new Date(expires).toISOString(),
  });
  return jsonResponse({
    "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#subscriptions/$entity",
    id,
    resource,
    applicationId: Deno.env.get("MICROSOFT_CLIENT_ID"),
    changeType,
    clientState: clientState ?? null,
    notificationUrl,
    expirationDateTime: new Date(expires).toISOString(),
    creatorId: crypto.randomUUID(),
    latestSupportedTlsVersion: "v1_2",
    notificationContentType: "application/json",
  }, 201);
}
