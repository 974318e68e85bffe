// Meta's webhook signature: HMAC-SHA256 of the exact bytes, with the app secret.
import assert from "node:assert/strict";
import { escapeUnicode, signBody, timingSafeEqual, verifySignature } from "./signature.ts";

const secret = "app-secret-for-tests";
const bytes = (s: string) => new TextEncoder().encode(s);

Deno.test("a body signed with the app secret verifies; any change to bytes or secret does not", async () => {
  const body = '{"object":"whatsapp_business_account","entry":[]}';
  const signature = await signBody(body, secret);
  assert.ok(await verifySignature(bytes(body), signature, secret));
  assert.ok(
    await verifySignature(
      bytes(body),
      signature.toUpperCase().replace("SHA256=", "sha256="),
      secret,
    ),
  );
  assert.equal(await verifySignature(bytes(body + " "), signature, secret), false, "one more byte");
  assert.equal(
    await verifySignature(bytes(body), await signBody(body, "other-secret"), secret),
    false,
  );
  assert.equal(
    await verifySignature(bytes(body), signature.replace("sha256=", "sha1="), secret),
    false,
  );
  assert.equal(
    await verifySignature(bytes(body), signature.slice(0, -2), secret),
    false,
    "truncated",
  );
  assert.equal(await verifySignature(bytes(body), null, secret), false, "missing");
  assert.equal(await verifySignature(bytes(body), "sha256=" + "0".repeat(64), secret), false);
});

Deno.test("Meta's escaped-unicode signing of raw non-ASCII bodies is accepted, nothing else", async () => {
  const raw = '{"text":"Grüezi 😀"}';
  const metaSigned = await signBody(escapeUnicode(raw), secret);
  assert.equal(escapeUnicode(raw), '{"text":"Gr\\u00fcezi \\ud83d\\ude00"}');
  assert.ok(await verifySignature(bytes(raw), metaSigned, secret));
  assert.ok(await verifySignature(bytes(raw), await signBody(raw, secret), secret));
  assert.equal(await verifySignature(bytes('{"text":"Grüezi 😁"}'), metaSigned, secret), false);
});

Deno.test("verify token comparison", () => {
  assert.ok(timingSafeEqual("token-123", "token-123"));
  assert.equal(timingSafeEqual("token-123", "token-124"), false);
  assert.equal(timingSafeEqual("token-123", "token-1234"), false);
  assert.equal(timingSafeEqual("", "x"), false);
});
