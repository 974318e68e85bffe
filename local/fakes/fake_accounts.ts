// Accounts of the fake Google/Microsoft servers: tokens, events with a change sequence (for sync
// tokens and delta links), injected failures, and a log of API requests for tests to inspect.
export type Provider = "google" | "microsoft";

export type StoredEvent = { body: Record<string, unknown>; seq: number; deleted: boolean };

export type Account = {
  provider: Provider;
  name: string;
  events: Map<string, StoredEvent>;
  seq: number;
  /** Sync tokens / delta links below this sequence are expired (410). */
  validFromSeq: number;
  refreshTokens: Set<string>;
  accessTokens: Set<string>;
  failures: { status: number; retryAfter?: string; body?: unknown }[];
  log: string[];
  pageSize: number;
  /** Microsoft: transactionIds already used -> event id. */
  transactions: Map<string, string>;
  /** Writes to carry out whose answer is then lost (503), as when a connection drops. */
  loseAnswers: number;
  /** Open push channels (Google) / subscriptions (Graph) by id. */
  channels: Map<string, PushChannel>;
  /** Every token ever issued (tests check that none of them leaked anywhere). */
  issued: string[];
};

export type PushChannel = {
  id: string;
  address: string;
  token: string;
  resourceId: string;
  expiration: string;
};

export const accounts = new Map<string, Account>();
const codes = new Map<string, { account: Account; redirectUri: string; clientId: string }>();
const accessIndex = new Map<string, Account>();
const refreshIndex = new Map<string, Account>();

export function account(provider: Provider, name: string): Account {
  const key = `${provider}/${name}`;
  let found = accounts.get(key);
  if (!found) {
    found = {
      provider,
      name,
      events: new Map(),
      seq: 1,
      validFromSeq: 0,
      refreshTokens: new Set(),
      accessTokens: new Set(),
      failures: [],
      log: [],
      pageSize: 2,
      transactions: new Map(),
      issued: [],
      loseAnswers: 0,
      channels: new Map(),
    };
    accounts.set(key, found);
  }
  return found;
}

const random = () => crypto.randomUUID().replaceAll("-", "");

export function issueCode(acc: Account, redirectUri: string, clientId: string): string {
  const code = `code-${random()}`;
  codes.set(code, { account: acc, redirectUri, clientId });
  return code;
}

export function takeCode(code: string) {
  const found = codes.get(code);
  codes.delete(code); // codes are single-use
  return found;
}

export function issueTokens(acc: Account) {
  const refresh = `${acc.provider === "google" ? "1//" : "M.R3_"}refresh-${random()}`;
  const access = `${acc.provider === "google" ? "ya29." : "EwB"}access-${random()}`;
  acc.refreshTokens.add(refresh);
  acc.accessTokens.add(access);
  acc.issued.push(refresh, access);
  refreshIndex.set(refresh, acc);
  accessIndex.set(access, acc);
  return { refresh, access };
}

export function accountOfRefresh(token: string): Account | undefined {
  const acc = refreshIndex.get(token);
  return acc && acc.refreshTokens.has(token) ? acc : undefined;
}

export function accountOfAccess(req: Request): Account | undefined {
  const match = /^Bearer (.+)$/.exec(req.headers.get("authorization") ?? "");
  const acc = match ? accessIndex.get(match[1]) : undefined;
  return acc && acc.accessTokens.has(match![1]) ? acc : undefined;
}

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=UTF-8", ...headers },
  });
}

/** An injected failure for the next API request of this account, if any. */
export function injectedFailure(acc: Account): Response | undefined {
  const failure = acc.failures.shift();
  if (!failure) return undefined;
  return jsonResponse(
    failure.body ?? { error: { code: failure.status, message: "injected failure" } },
    failure.status,
    failure.retryAfter ? { "retry-after": failure.retryAfter } : {},
  );
}

export function putEvent(acc: Account, id: string, body: Record<string, unknown>) {
  acc.seq++;
  acc.events.set(id, { body: { ...body, id }, seq: acc.seq, deleted: false });
}

export function deleteEvent(acc: Account, id: string): boolean {
  const found = acc.events.get(id);
  if (!found || found.deleted) return false;
  acc.seq++;
  found.deleted = true;
  found.seq = acc.seq;
  return true;
}

// POST/PUT/DELETE/GET /_fake/{provider}/{account}/{what}[/{id}]
export async function controlRequest(req: Request, url: URL): Promise<Response> {
  const [, , provider, name, what, id] = url.pathname.split("/");
  if (provider !== "google" && provider !== "microsoft" || !name) {
    return jsonResponse({ error: "unknown account" }, 404);
  }
  const acc = account(provider, decodeURIComponent(name));
  const text = await req.text();
  const body = text.trim() === "" ? {} : JSON.parse(text);
  switch (what) {
    case "events":
      if (req.method === "PUT") putEvent(acc, decodeURIComponent(id), body);
      else if (req.method === "DELETE") deleteEvent(acc, decodeURIComponent(id));
      return jsonResponse({
        events: [...acc.events.values()].filter((e) => !e.deleted).map((e) => e.body),
      });
    case "revoke":
      acc.refreshTokens.clear();
      acc.accessTokens.clear();
      return jsonResponse({ revoked: true });
    case "expire-sync":
      acc.validFromSeq = acc.seq + 1;
      return jsonResponse({ expired: true });
    case "fail":
      acc.failures.push(body);
      return jsonResponse({ queued: acc.failures.length });
    case "lose-answers":
      acc.loseAnswers = Number(body.count ?? 1);
      return jsonResponse({ losing: acc.loseAnswers });
    case "channels":
      return jsonResponse({ channels: [...acc.channels.values()] });
    case "notify":
      return jsonResponse({ answers: await notifyAll(acc) });
    case "log":
      return jsonResponse({ log: acc.log, issued: acc.issued });
    default:
      return jsonResponse({ error: "unknown control" }, 404);
  }
}

/** Carries out a write, then loses its answer if the test asked for that. */
export async function maybeLoseAnswer(acc: Account, req: Request, answer: () => Promise<Response>) {
  const res = await answer();
  if (req.method === "GET" || acc.loseAnswers <= 0) return res;
  acc.loseAnswers--;
  await res.body?.cancel();
  return jsonResponse(
    { error: { code: 503, message: "The service is currently unavailable." } },
    503,
  );
}

/** The client credentials the fake apps were registered with (the functions' env). */
export function clientOk(provider: Provider, form: URLSearchParams): boolean {
  const prefix = provider === "google" ? "GOOGLE" : "MICROSOFT";
  const id = Deno.env.get(`${prefix}_CLIENT_ID`);
  const secret = Deno.env.get(`${prefix}_CLIENT_SECRET`);
  return !!id && form.get("client_id") === id && form.get("client_secret") === secret;
}

/** Sends one change notification per open channel, as the provider would; returns the answers. */
async function notifyAll(acc: Account): Promise<number[]> {
  const answers: number[] = [];
  for (const channel of acc.channels.values()) {
    const res = acc.provider === "google"
      ? await fetch(channel.address, {
        method: "POST",
        headers: {
          "x-goog-channel-id": channel.id,
          "x-goog-channel-token": channel.token,
          "x-goog-message-number": String(acc.seq),
          "x-goog-resource-id": channel.resourceId,
          "x-goog-resource-state": "exists",
          "x-goog-resource-uri": "https://www.googleapis.com/calendar/v3/calendars/primary/events",
          "x-goog-channel-expiration": new Date(Number(channel.expiration)).toUTCString(),
        },
      })
      : await fetch(channel.address, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          value: [{
            id: crypto.randomUUID(),
            subscriptionId: channel.id,
            subscriptionExpirationDateTime: channel.expiration,
            clientState: channel.token,
            changeType: "updated",
            resource: `Users/${acc.name}/Events/x`,
            tenantId: "00000000-0000-4000-8000-0000000000aa",
            resourceData: { "@odata.type": "#Microsoft.Graph.Event", id: "x" },
          }],
        }),
      });
    await res.body?.cancel();
    answers.push(res.status);
  }
  return answers;
}
