// Every request to a calendar server (iCal feeds, CalDAV) goes through here, so the same rules
// hold for all of them:
// - only public internet addresses, checked after DNS resolution on every redirect hop (a feed
//   must not reach the cloud metadata service, the database or anything else inside), with one
//   message for every refusal so that feeds cannot be used to map a network;
//   CALENDAR_ALLOW_PRIVATE_HOSTS lists host:port pairs exempt from this (the local stack's own
//   calendar servers);
// - credentials go only to the origin they were stored for: a redirect elsewhere drops them;
// - one timeout for the whole exchange (body included) and a size limit on every answer.
// Residual risk: fetch resolves the name again, so a DNS answer that changes between our check
// and the connection (DNS rebinding) is not caught here.
import { FeedError } from "./feed_error.ts";

export type OutboundPolicy = {
  timeoutMs: number;
  maxBytes: number;
  /** host:port pairs that may be private (the local stack's feed and CalDAV servers). */
  allowPrivateHosts?: readonly string[];
};

export const REFUSED_ADDRESS =
  "calendar address refused: only public internet addresses are allowed";

const MAX_REDIRECTS = 5;

function ipv4Parts(ip: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? parts : null;
}

function isPublicIpv4([a, b, c]: number[]): boolean {
  return !(
    a === 0 || a === 10 || a === 127 || a >= 224 || // this network, private, loopback, multicast, reserved
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) || // link-local (cloud metadata)
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0 && (c === 0 || c === 2)) ||
    (a === 198 && (b === 18 || b === 19)) ||
    (a === 198 && b === 51 && c === 100) ||
    (a === 203 && b === 0 && c === 113)
  );
}

/** The 8 groups of an IPv6 address (with an embedded IPv4 tail expanded), or null. */
function ipv6Groups(ip: string): number[] | null {
  let text = ip.toLowerCase().replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const p = ipv4Parts(v4[1]);
    if (!p) return null;
    text = text.slice(0, -v4[1].length) +
      `${((p[0] << 8) | p[1]).toString(16)}:${((p[2] << 8) | p[3]).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.map((g) => parseInt(g, 16));
}

/** True for addresses on the public internet; false for loopback, private, link-local & co. */
export function isPublicAddress(ip: string): boolean {
  const v4 = ipv4Parts(ip);
  if (v4) return isPublicIpv4(v4);
  const g = ipv6Groups(ip);
  if (!g) return false;
  const embeddedV4 = [g[6] >> 8, g[6] & 255, g[7] >> 8, g[7] & 255];
  if (g.slice(0, 5).every((x) => x === 0) && (g[5] === 0xffff || g[5] === 0)) {
    return g[5] === 0xffff ? isPublicIpv4(embeddedV4) : false; // mapped IPv4; ::, ::1, compatible
  }
  if (g[0] === 0x64 && g[1] === 0xff9b) return isPublicIpv4(embeddedV4); // NAT64
  return !(
    (g[0] & 0xfe00) === 0xfc00 || // unique local
    (g[0] & 0xffc0) === 0xfe80 || // link-local
    (g[0] & 0xff00) === 0xff00 || // multicast
    (g[0] === 0x2001 && g[1] === 0x0db8) || // documentation
    (g[0] === 0x0100 && g[1] === 0 && g[2] === 0 && g[3] === 0) // discard
  );
}

async function addressesOf(hostname: string): Promise<string[]> {
  const bare = hostname.replace(/^\[|\]$/g, "");
  if (ipv4Parts(bare) || bare.includes(":")) return [bare];
  const answers = await Promise.allSettled([
    Deno.resolveDns(bare, "A"),
    Deno.resolveDns(bare, "AAAA"),
  ]);
  return answers.flatMap((a) => a.status === "fulfilled" ? a.value : []);
}

/** Refuses (one message for every reason) a URL that is not http(s) to a public address. */
export async function assertAllowedDestination(url: URL, policy: OutboundPolicy): Promise<void> {
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new FeedError(REFUSED_ADDRESS);
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  if (policy.allowPrivateHosts?.includes(`${url.hostname}:${port}`)) return;
  let addresses: string[];
  try {
    addresses = await addressesOf(url.hostname);
  } catch {
    addresses = [];
  }
  if (addresses.length === 0 || !addresses.every(isPublicAddress)) {
    throw new FeedError(REFUSED_ADDRESS);
  }
}

/** Passes at most maxBytes through, then fails the stream with a FeedError. */
function limitStream(maxBytes: number): TransformStream<Uint8Array, Uint8Array> {
  let seen = 0;
  return new TransformStream({
    transform(chunk, controller) {
      seen += chunk.byteLength;
      if (seen > maxBytes) controller.error(tooLarge(maxBytes));
      else controller.enqueue(chunk);
    },
  });
}

function tooLarge(maxBytes: number): FeedError {
  const limit = maxBytes >= 1_048_576
    ? `${Math.round(maxBytes / 1_048_576)} MB`
    : `${Math.round(maxBytes / 1024)} KB`;
  return new FeedError(`calendar server answer is larger than ${limit}`);
}

/**
 * The one mapping of low-level failures to messages people read ("did not answer within 15 s",
 * "could not be reached"), for feeds and CalDAV alike.
 */
export function requestError(error: unknown, timeoutMs: number): FeedError {
  if (error instanceof FeedError) return error;
  if (
    error instanceof DOMException && (error.name === "TimeoutError" || error.name === "AbortError")
  ) {
    return new FeedError(
      `calendar server did not answer within ${Math.round(timeoutMs / 1000)} s`,
    );
  }
  if (error instanceof Error && error.cause instanceof FeedError) return error.cause;
  return new FeedError("calendar server could not be reached");
}

/**
 * A fetch with the rules above, shaped like fetch so that libraries (tsdav) can use it.
 * Credentials (Authorization) are sent only while the request stays on credentialsOrigin.
 */
export function guardedFetch(
  policy: OutboundPolicy,
  credentialsOrigin?: string,
): typeof fetch {
  return async (input, init = {}) => {
    let url = new URL(input instanceof Request ? input.url : String(input));
    const signal = init.signal
      ? AbortSignal.any([init.signal, AbortSignal.timeout(policy.timeoutMs)])
      : AbortSignal.timeout(policy.timeoutMs);
    let method = init.method ?? "GET";
    let body = init.body;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      await assertAllowedDestination(url, policy);
      const headers = new Headers(init.headers);
      if (url.origin !== (credentialsOrigin ?? url.origin)) {
        headers.delete("authorization");
        headers.delete("cookie");
      }
      const res = await fetch(url, { ...init, method, body, headers, redirect: "manual", signal });
      const location = res.headers.get("location");
      if (res.status >= 300 && res.status < 400 && res.status !== 304 && location) {
        await res.body?.cancel();
        url = new URL(location, url);
        if (res.status === 303) {
          method = "GET";
          body = undefined;
        }
        continue;
      }
      const declared = Number(res.headers.get("content-length") ?? "0");
      if (declared > policy.maxBytes) {
        await res.body?.cancel();
        throw tooLarge(policy.maxBytes);
      }
      const nullBody = [101, 103, 204, 205, 304].includes(res.status) || !res.body;
      if (nullBody) await res.body?.cancel();
      return new Response(nullBody ? null : res.body!.pipeThrough(limitStream(policy.maxBytes)), {
        status: res.status,
        statusText: res.statusText,
        headers: res.headers,
      });
    }
    throw new FeedError("calendar server redirected too many times");
  };
}
