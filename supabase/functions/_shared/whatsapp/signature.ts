// Meta signs every webhook: X-Hub-Signature-256 = "sha256=" + hex HMAC-SHA256 of the body with the
// app secret. Checked on the exact bytes received, before anything is parsed or stored.
const SIGNATURE_HEADER = /^sha256=([0-9a-fA-F]{64})$/;
const encoder = new TextEncoder();

function hexToBytes(hex: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/** Meta's form of a payload it sent with raw non-ASCII characters: each one as lowercase \uXXXX. */
export function escapeUnicode(text: string): string {
  return text.replace(
    /[\u0080-\uffff]/g,
    (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"),
  );
}

async function hmacKey(secret: string): Promise<CryptoKey> {
  return await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign", "verify"],
  );
}

/**
 * True when the header is Meta's signature of these bytes. crypto.subtle.verify compares in
 * constant time. Meta documents that it signs an escaped-unicode version of the payload; when the
 * bytes hold raw non-ASCII characters, that form (same JSON, same meaning) is accepted too.
 */
export async function verifySignature(
  body: Uint8Array<ArrayBuffer>,
  header: string | null,
  secret: string,
): Promise<boolean> {
  const match = SIGNATURE_HEADER.exec(header ?? "");
  if (!match) return false;
  const key = await hmacKey(secret);
  const signature = hexToBytes(match[1]);
  if (await crypto.subtle.verify("HMAC", key, signature, body)) return true;
  if (!body.some((byte) => byte > 0x7f)) return false;
  const escaped = encoder.encode(escapeUnicode(new TextDecoder().decode(body)));
  return await crypto.subtle.verify("HMAC", key, signature, escaped);
}

/** The header value Meta would send for these bytes (simulator, tests, bench). */
export async function signBody(
  body: Uint8Array<ArrayBuffer> | string,
  secret: string,
): Promise<string> {
  const bytes = typeof body === "string" ? encoder.encode(body) : body;
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(secret), bytes));
  return "sha256=" + Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Constant-time equality of two strings (the GET verify token). */
export function timingSafeEqual(a: string, b: string): boolean {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}
