// Fetches a calendar feed politely: a timeout, a size limit, conditional requests (ETag /
// Last-Modified; 304 means unchanged), redirects followed by hand and only to http(s). Errors
// carry a message that is safe to store and log: it never contains the address.

export class FeedError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = "FeedError";
  }
}

export type FeedResult =
  | { kind: "unchanged" }
  | { kind: "feed"; text: string; etag: string | null; lastModified: string | null };

export type FetchFeedOptions = {
  etag?: string | null;
  lastModified?: string | null;
  timeoutMs: number;
  maxBytes: number;
  headers?: Record<string, string>;
  maxRedirects?: number;
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
  return `calendar server answered HTTP ${status}`;
}

async function readLimited(res: Response, maxBytes: number): Promise<string> {
  const declared = Number(res.headers.get("content-length") ?? "0");
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw new FeedError(`calendar feed is larger than ${Math.round(maxBytes / 1_048_576)} MB`);
  }
  const reader = res.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new FeedError(`calendar feed is larger than ${Math.round(maxBytes / 1_048_576)} MB`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

export async function fetchFeed(address: string, options: FetchFeedOptions): Promise<FeedResult> {
  let url = httpUrl(address);
  const headers: Record<string, string> = {
    accept: "text/calendar, text/plain;q=0.8, */*;q=0.5",
    "user-agent": "staff-aware-booking calendar-sync",
    ...options.headers,
  };
  if (options.etag) headers["if-none-match"] = options.etag;
  if (options.lastModified) headers["if-modified-since"] = options.lastModified;
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    for (let hop = 0; hop <= (options.maxRedirects ?? 5); hop++) {
      const res = await fetch(url, { headers, redirect: "manual", signal });
      if (res.status >= 300 && res.status < 400 && res.status !== 304) {
        await res.body?.cancel();
        const location = res.headers.get("location");
        if (!location) {
          throw new FeedError(`calendar server redirected without a location (HTTP ${res.status})`);
        }
        const next = new URL(location, url);
        if (next.protocol !== "https:" && next.protocol !== "http:") {
          throw new FeedError("calendar server redirected to a non-HTTP address");
        }
        url = next;
        continue;
      }
      if (res.status === 304) {
        await res.body?.cancel();
        return { kind: "unchanged" };
      }
      if (!res.ok) {
        await res.body?.cancel();
        throw new FeedError(statusMessage(res.status), res.status);
      }
      const text = await readLimited(res, options.maxBytes);
      return {
        kind: "feed",
        text,
        etag: res.headers.get("etag"),
        lastModified: res.headers.get("last-modified"),
      };
    }
    throw new FeedError("calendar server redirected too many times");
  } catch (error) {
    if (error instanceof FeedError) throw error;
    if (
      error instanceof DOMException &&
      (error.name === "TimeoutError" || error.name === "AbortError")
    ) {
      throw new FeedError(
        `calendar server did not answer within ${Math.round(options.timeoutMs / 1000)} s`,
      );
    }
    throw new FeedError("calendar server could not be reached");
  }
}
