// One request to the Google Calendar or Microsoft Graph API with the member's access token:
// throttling (429, and Google's 403 rate-limit reasons) waits for Retry-After and tries again a
// few times; server errors and refusals become FeedErrors in plain words, which the existing
// failure path records (backoff, alert). Answers the caller handles itself (410, 404, 409) are
// returned as they are.
import { FeedError } from "./fetch_feed.ts";

export type ApiContext = {
  accessToken: string;
  label: string; // "Google Calendar" / "Outlook calendar", for messages
  timeoutMs: number;
  /** Waits between throttled attempts (tests pass one that records instead of waiting). */
  sleep?: (ms: number) => Promise<void>;
};

const MAX_THROTTLE_RETRIES = 3;
// Longer waits than this are not spent inside one function call; the sync is retried later.
const MAX_WAIT_SECONDS = 30;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Seconds to wait from a Retry-After header (seconds or an HTTP date); 1 when missing. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number {
  if (!header) return 1;
  if (/^\d{1,9}$/.test(header.trim())) return Number(header.trim());
  // Only an IMF-fixdate ("Tue, 01 Dec 2026 12:00:30 GMT"): Date.parse reads almost anything.
  if (!/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(header.trim())) {
    return 1;
  }
  const at = Date.parse(header);
  return Number.isNaN(at) ? 1 : Math.max(0, Math.ceil((at - now) / 1000));
}

async function isThrottled(res: Response): Promise<boolean> {
  if (res.status === 429) return true;
  if (res.status !== 403) return false;
  const text = await res.clone().text().catch(() => "");
  return /"reason"\s*:\s*"(userRateLimitExceeded|rateLimitExceeded)"/.test(text);
}

export async function apiRequest(
  ctx: ApiContext,
  url: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
  passThrough: number[] = [],
): Promise<Response> {
  const sleep = ctx.sleep ?? realSleep;
  for (let attempt = 0;; attempt++) {
    let res: Response;
    try {
      res = await fetch(url, {
        method: init.method ?? "GET",
        headers: {
          authorization: `Bearer ${ctx.accessToken}`,
          accept: "application/json",
          ...(init.body === undefined ? {} : { "content-type": "application/json" }),
          ...init.headers,
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        redirect: "error",
        signal: AbortSignal.timeout(ctx.timeoutMs),
      });
    } catch (error) {
      throw new FeedError(
        error instanceof DOMException && error.name === "TimeoutError"
          ? `${ctx.label} did not answer in time`
          : `${ctx.label} could not be reached`,
      );
    }
    if (res.ok || passThrough.includes(res.status)) return res;
    if (await isThrottled(res)) {
      const wait = retryAfterSeconds(res.headers.get("retry-after"));
      await res.body?.cancel();
      if (attempt < MAX_THROTTLE_RETRIES && wait <= MAX_WAIT_SECONDS) {
        await sleep(wait * 1000);
        continue;
      }
      throw new FeedError(`${ctx.label} is rate limiting us; retry after ${wait} s`, 429);
    }
    await res.body?.cancel();
    if (res.status === 401) {
      throw new FeedError(`${ctx.label} refused the access token (HTTP 401)`, 401);
    }
    if (res.status >= 500) {
      throw new FeedError(`${ctx.label} is unavailable (HTTP ${res.status})`, res.status);
    }
    throw new FeedError(`${ctx.label} refused the request (HTTP ${res.status})`, res.status);
  }
}

/** A link the API handed us (next page, delta link) is only followed on the API's own origin. */
export function sameOrigin(link: string, base: string, label: string): string {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw new FeedError(`${label} sent an unreadable page link`);
  }
  if (url.origin !== new URL(base).origin) {
    throw new FeedError(`${label} sent a page link to another server; not followed`);
  }
  return url.toString();
}
