import assert from "node:assert/strict";
import { parseMailConfig } from "./config.ts";

const valid = { SMTP_HOST: "smtp.example.com", ALERT_MAIL_FROM: "alerts@clinic.example" };

Deno.test("a minimal SMTP environment parses, with defaults", () => {
  const config = parseMailConfig(valid);
  assert.equal(config.SMTP_PORT, 587);
  assert.equal(config.SMTP_SECURE, false);
  assert.deepEqual(config.ALERT_MAIL_TO, []);
});

Deno.test("missing and bad variables are named, values never echoed", () => {
  assert.throws(() => parseMailConfig({ ALERT_MAIL_FROM: "a@b.ch" }), /SMTP_HOST: is missing/);
  assert.throws(
    () =>
      parseMailConfig({ ...valid, ALERT_MAIL_TO: "boss@clinic.example, not-an-address-s3cr3t" }),
    (e: Error) =>
      /ALERT_MAIL_TO: must be a comma-separated list/.test(e.message) &&
      !e.message.includes("s3cr3t"),
  );
  assert.throws(
    () => parseMailConfig({ ...valid, SMTP_PORT: "99999", SMTP_PASSWORD: "hunter2" }),
    (e: Error) =>
      /SMTP_PORT/.test(e.message) && /SMTP_USER and SMTP_PASSWORD go together/.test(e.message) &&
      !e.message.includes("hunter2"),
  );
  assert.throws(() => parseMailConfig({ ...valid, SMTP_SECURE: "yes" }), /SMTP_SECURE/);
});

Deno.test("extra recipients are a list", () => {
  assert.deepEqual(parseMailConfig({ ...valid, ALERT_MAIL_TO: " a@b.ch ,c@d.ch" }).ALERT_MAIL_TO, [
    "a@b.ch",
    "c@d.ch",
  ]);
});
