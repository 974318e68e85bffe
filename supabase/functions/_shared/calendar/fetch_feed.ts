// Fetches a calendar feed politely: conditional requests (ETag / Last-Modified; 304 means
// unchanged) through the guarded outbound fetch (public addresses only, every redirect hop
// checked, timeout, size limit). Errors carry a message that is safe to store and log: it never
// contains the address.
import { FeedError } from "./feed_error.ts";
import { guardedFetch, type OutboundPolicy, requestError } from "./outbound.ts";

export { FeedError };

export type FeedResult =
  | { kind: "unchanged" }
  | { kind: "feed"; text: string; etag: string | null; lastModified: string | null };

export type FetchFeedOptions = OutboundPolicy & {
  etag?: string | null;
  lastModified?: string | null;
  headers?: Record<string, string>;
};

function httpUrl(address: string): URL {
  let url: URL;
  try {
    url = new URL(address.trim().replace(/^webcals?:\/\//i, "https://"));
  } catch {
    throw new FeedError("calendar address is not a valid URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new FeedError("calendar address must be an http(s) or webcal URL");
  }
  return url;
}

function statusMessage(status: number): string {
  if (status === 401 || status === 403) {
    return `calendar address no longer valid or access denied (HTTP ${status})`;
  }
  if (status === 404 || status === 410) return `calendar address no longer valid (HTTP ${status})`;
  if (status === 429) return "calendar server asks us to slow down (HTTP 429)";
  if (status >= 500) return `calendar server error (HTTP ${status})`;
  if (status >= 300 && status < 400) {
    return `calendar server redirected without a location (HTTP ${status})`;
  }
  return `calendar server answered HTTP ${status}`;
}

export async function fetchFeed(address: string, options: FetchFeedOptions): Promise<FeedResult> {
  const url = httpUrl(address);
  const headers: Record<string, string> = {
    accept: "text/calendar, text/plain;q=0.8, */*;q=0.5",
    "user-agent": "staff-aware-booking calendar-sync",
    ...options.headers,
  };
  if (options.etag) headers["if-none-match"] = options.etag;
  if (options.lastModified) headers["if-modified-since"] = options.lastModified;
  try {
    const res = await guardedFetch(options)(url, { headers });
    if (res.status === 304) {
      // Only an answer to validators we sent means "unchanged"; anything else is not a feed.
      if (!options.etag && !options.lastModified) {
        throw new FeedError("calendar server answered 304 Not Modified to a first request");
      }
      return { kind: "unchanged" };
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new FeedError(statusMessage(res.status), res.status);
    }
    return {
      kind: "feed",
      text: await res.text(),
      etag: res.headers.get("etag"),
      lastModified: res.headers.get("last-modified"),
    };
  } catch (error) {
    throw requestError(error, options.timeoutMs);
  }
}
