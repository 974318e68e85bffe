// OAuth with Google and Microsoft identity: the consent URL, the code exchange and the refresh
// of access tokens. Token endpoint answers are read with zod; their bodies never reach a message,
// a log line or a response (they hold tokens), only the documented `error` code does.
import { z } from "zod";
import type { Env } from "../env.ts";
import { FeedError } from "./fetch_feed.ts";

export type OAuthProvider = "google" | "outlook";

export type OAuthApp = {
  clientId?: string;
  clientSecret?: string;
  authUrl: string;
  tokenUrl: string;
};
export type OAuthConfig = {
  google: OAuthApp;
  outlook: OAuthApp;
  googleApiUrl: string;
  graphApiUrl: string;
};

export const providerLabel: Record<OAuthProvider, string> = {
  google: "Google Calendar",
  outlook: "Outlook calendar",
};

// The smallest scopes that read events (busy time) and write the bookings' events: Google's
// calendar.events (no calendar list, no settings); Microsoft's Calendars.ReadWrite plus
// offline_access, without which no refresh token is issued.
export const scopes: Record<OAuthProvider, string> = {
  google: "https://www.googleapis.com/auth/calendar.events",
  outlook: "offline_access https://graph.microsoft.com/Calendars.ReadWrite",
};

export function oauthConfig(e: Env): OAuthConfig {
  const login = `${e.MICROSOFT_LOGIN_URL.replace(/\/$/, "")}/${e.MICROSOFT_TENANT}/oauth2/v2.0`;
  return {
    google: {
      clientId: e.GOOGLE_CLIENT_ID,
      clientSecret: e.GOOGLE_CLIENT_SECRET,
      authUrl: e.GOOGLE_AUTH_URL,
      tokenUrl: e.GOOGLE_TOKEN_URL,
    },
    outlook: {
      clientId: e.MICROSOFT_CLIENT_ID,
      clientSecret: e.MICROSOFT_CLIENT_SECRET,
      authUrl: `${login}/authorize`,
      tokenUrl: `${login}/token`,
    },
    googleApiUrl: e.GOOGLE_CALENDAR_API_URL.replace(/\/$/, ""),
    graphApiUrl: e.MICROSOFT_GRAPH_URL.replace(/\/$/, ""),
  };
}

/** The app's credentials, or a clear error naming the missing variables (never their values). */
function credentials(provider: OAuthProvider, config: OAuthConfig) {
  const app = config[provider];
  const prefix = provider === "google" ? "GOOGLE" : "MICROSOFT";
  if (!app.clientId || !app.clientSecret) {
    throw new FeedError(
      `${
        providerLabel[provider]
      } is not set up: ${prefix}_CLIENT_ID and ${prefix}_CLIENT_SECRET are needed`,
    );
  }
  return { clientId: app.clientId, clientSecret: app.clientSecret };
}

/** Where the team member signs in and allows access; `state` comes back to the callback. */
export function consentUrl(
  provider: OAuthProvider,
  config: OAuthConfig,
  state: string,
  redirectUri: string,
): string {
  const { clientId } = credentials(provider, config);
  const url = new URL(config[provider].authUrl);
  url.searchParams.set("client_id", clientId);
  url.searchParams.set("redirect_uri", redirectUri);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("scope", scopes[provider]);
  url.searchParams.set("state", state);
  if (provider === "google") {
    // A refresh token only comes with offline access, and again on a reconnect only with consent.
    url.searchParams.set("access_type", "offline");
    url.searchParams.set("prompt", "consent");
    url.searchParams.set("include_granted_scopes", "true");
  } else {
    url.searchParams.set("response_mode", "query");
    url.searchParams.set("prompt", "select_account");
  }
  return url.toString();
}

/** The grant behind a refresh token is gone (revoked, expired, password changed). */
export class GrantRevokedError extends FeedError {
  constructor(provider: OAuthProvider) {
    super(`${providerLabel[provider]} access was revoked or has expired`, 400);
    this.name = "GrantRevokedError";
  }
}

const tokenAnswer = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.coerce.number().optional(),
  token_type: z.string().optional(),
});
const tokenError = z.object({ error: z.string() });

export type Tokens = { accessToken: string; refreshToken?: string };

async function tokenRequest(
  provider: OAuthProvider,
  config: OAuthConfig,
  form: Record<string, string>,
  timeoutMs: number,
): Promise<Tokens> {
  const { clientId, clientSecret } = credentials(provider, config);
  const body = new URLSearchParams({ client_id: clientId, client_secret: clientSecret, ...form });
  let res: Response;
  try {
    res = await fetch(config[provider].tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body,
      redirect: "error",
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch {
    throw new FeedError(`${providerLabel[provider]} sign-in service did not answer`);
  }
  let parsed: unknown = null;
  try {
    parsed = await res.json();
  } catch {
    // handled below: a body that is not JSON is as good as a wrong one
  }
  if (!res.ok) {
    const error = tokenError.safeParse(parsed);
    // Key on `error`, never on the description (both providers say so).
    if (error.success && error.data.error === "invalid_grant") {
      throw new GrantRevokedError(provider);
    }
    throw new FeedError(
      `${providerLabel[provider]} sign-in failed (HTTP ${res.status}${
        error.success ? `, ${error.data.error.slice(0, 40).replace(/[^\w.-]/g, "")}` : ""
      })`,
      res.status,
    );
  }
  const ok = tokenAnswer.safeParse(parsed);
  if (!ok.success) throw new FeedError(`${providerLabel[provider]} sign-in answered unreadably`);
  return { accessToken: ok.data.access_token, refreshToken: ok.data.refresh_token };
}

/** The callback's code for tokens; a refresh token is required (offline access). */
export async function exchangeCode(
  provider: OAuthProvider,
  config: OAuthConfig,
  code: string,
  redirectUri: string,
  timeoutMs: number,
): Promise<Required<Tokens>> {
  const tokens = await tokenRequest(provider, config, {
    grant_type: "authorization_code",
    code,
    redirect_uri: redirectUri,
    ...(provider === "outlook" ? { scope: scopes.outlook } : {}),
  }, timeoutMs);
  if (!tokens.refreshToken) {
    throw new FeedError(`${providerLabel[provider]} gave no offline access (no refresh token)`);
  }
  return { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken };
}

/** A fresh access token; Microsoft also returns a new refresh token, which must replace the old. */
export function refreshAccessToken(
  provider: OAuthProvider,
  config: OAuthConfig,
  refreshToken: string,
  timeoutMs: number,
): Promise<Tokens> {
  return tokenRequest(provider, config, {
    grant_type: "refresh_token",
    refresh_token: refreshToken,
    ...(provider === "outlook" ? { scope: scopes.outlook } : {}),
  }, timeoutMs);
}
