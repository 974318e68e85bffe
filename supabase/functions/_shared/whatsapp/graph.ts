// One call to Meta's Graph API: POST {WHATSAPP_GRAPH_URL}/{PHONE_NUMBER_ID}/messages with the
// bearer token, and what the answer means for the outbox: sent, retry later, or failed for good.
// The token is sent in the header only; nothing returned from here can contain it.
import type { WhatsAppConfig } from "./env.ts";

export type SendOutcome =
  | { outcome: "sent"; waMessageId: string }
  | { outcome: "retry" | "failed"; code: number | null; title: string };

/** Meta's codes that mean "not now" rather than "never" (throughput, pair rate, transient). */
const RETRYABLE_CODES = new Set([4, 80007, 130429, 131000, 131016, 131056]);

export function isRetryable(httpStatus: number, code: number | null): boolean {
  return httpStatus === 429 || httpStatus >= 500 || (code !== null && RETRYABLE_CODES.has(code));
}

/** Removes the access token (and any bearer credential) from text that will be stored or logged. */
export function scrubToken(text: string, token: string): string {
  let out = token ? text.replaceAll(token, "[token]") : text;
  out = out.replace(/Bearer\s+[A-Za-z0-9._~+\/=-]+/gi, "Bearer [token]");
  return out.slice(0, 300);
}

export async function postMessage(
  config: WhatsAppConfig,
  body: Record<string, unknown>,
  timeoutMs = 15_000,
): Promise<SendOutcome> {
  const url = `${config.WHATSAPP_GRAPH_URL}/${config.WHATSAPP_PHONE_NUMBER_ID}/messages`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: {
        authorization: `Bearer ${config.WHATSAPP_ACCESS_TOKEN}`,
        "content-type": "application/json",
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === "TimeoutError";
    return {
      outcome: "retry",
      code: null,
      title: timedOut ? "Graph API did not answer in time" : "Graph API unreachable",
    };
  }
  let answer: {
    messages?: { id?: unknown }[];
    error?: { code?: unknown; message?: unknown; error_data?: { details?: unknown } };
  } = {};
  try {
    answer = JSON.parse((await res.text()).slice(0, 100_000));
  } catch {
    // Not JSON (a proxy's error page): the HTTP status decides.
  }
  const id = answer.messages?.[0]?.id;
  if (res.ok && typeof id === "string" && id.length > 0 && id.length <= 256) {
    return { outcome: "sent", waMessageId: id };
  }
  const code = typeof answer.error?.code === "number" ? answer.error.code : null;
  const details = answer.error?.error_data?.details;
  const title = typeof answer.error?.message === "string"
    ? answer.error.message + (typeof details === "string" ? ` (${details})` : "")
    : res.ok
    ? "Graph API accepted the call but returned no message id"
    : `Graph API answered HTTP ${res.status}`;
  return {
    outcome: isRetryable(res.status, code) ? "retry" : "failed",
    code: code ?? res.status,
    title: scrubToken(title, config.WHATSAPP_ACCESS_TOKEN),
  };
}
