// The chat simulator in a real browser (Debian's headless Chromium, driven by puppeteer-core),
// against the deployed webhook and the booking conversation: a new customer asks for a dental
// cleaning, sees the offer with its buttons, taps "Ja" and is booked; and a send the simulator was
// told to fail (429) reaches the phone after the retry.
import assert from "node:assert/strict";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { eventually, functionsUrl, requireEnv, testDb } from "../tests/helpers.ts";
import {
  conversation,
  newWaId,
  removeCustomers,
  simulatorUrl,
} from "../../supabase/functions/_shared/whatsapp/test_helpers.ts";

const CHROMIUM = "/usr/bin/chromium";

async function openPhone(): Promise<{ browser: Browser; page: Page }> {
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  const page = await browser.newPage();
  await page.goto(simulatorUrl() + "/");
  await page.waitForSelector("#contact option[value=new]");
  return { browser, page };
}

async function writeAsNewCustomer(page: Page, waId: string, name: string) {
  await page.select("#contact", "new");
  await page.type("#new-number", "+" + waId);
  await page.type("#new-name", name);
}

async function send(page: Page, text: string) {
  await page.type("#text", text);
  await page.keyboard.press("Enter");
}

/** Texts of the bot's messages on the screen. */
const botTexts = (page: Page) =>
  page.$$eval(".msg.bot", (nodes) => nodes.map((n) => n.firstChild?.textContent ?? ""));

Deno.test({
  name: "simulator page in Chromium: a new customer books a dental cleaning by tapping the offer",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const sql = testDb();
    const waId = newWaId();
    const { browser, page } = await openPhone();
    try {
      await writeAsNewCustomer(page, waId, "Browser Bea");
      await send(page, "Ich brauche eine Zahnreinigung");
      await page.waitForSelector(".msg.bot .choice", { timeout: 30_000 });
      const [offer] = await botTexts(page);
      assert.match(offer, /Soll ich ihn buchen\?|Passt das\?/, offer);
      const tapped = await page.$eval(".msg.bot .choice", (b) => b.textContent);
      await page.click(".msg.bot .choice");
      await eventually(async () => (await botTexts(page)).length >= 2 || undefined, 30_000);
      assert.match((await botTexts(page))[1], /^Ihr Termin ist bestätigt/);

      const [contact] = await sql`select id, name from contacts where whatsapp_id = ${"+" + waId}`;
      assert.equal(
        contact.name,
        "Browser Bea",
        "the new number became a contact with its profile name",
      );
      const bookings = await sql`select b.status, s.name as service from bookings b
        join services s on s.id = b.service_id where b.contact_id = ${contact.id}`;
      assert.deepEqual(bookings.map((b) => [b.status, b.service]), [[
        "confirmed",
        "Dental Cleaning",
      ]]);
      const c = await conversation(sql, waId);
      assert.deepEqual(c.inbound.map((m) => m.text), ["Ich brauche eine Zahnreinigung", tapped]);
      // The page showed the replies, so the simulator reported them read through the webhook.
      await eventually(async () => {
        const now = await conversation(sql, waId);
        return now.outbound.length === 2 && now.outbound.every((o) => o.status === "read") ||
          undefined;
      }, 20_000);
    } finally {
      await browser.close();
      await sql`delete from bookings where contact_id in (select id from contacts where whatsapp_id = ${
        "+" + waId
      })`;
      await removeCustomers(sql, [waId]);
      await sql.end();
    }
  },
});

Deno.test({
  name: "simulator page: a send told to fail with 429 reaches the phone after the retry",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const sql = testDb();
    const waId = newWaId();
    const { browser, page } = await openPhone();
    try {
      await writeAsNewCustomer(page, waId, "Retry Rita");
      // The page's control plans the failure for the next send to anyone: plan it for this number
      // instead, so that tests running beside this one are not affected.
      await fetch(simulatorUrl() + "/api/fail", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ address: "+" + waId, failures: [{ status: 429, code: 130429 }] }),
      }).then((r) => r.body?.cancel());
      await send(page, "Ich brauche eine Zahnreinigung");
      const queued = await eventually(async () => {
        const c = await conversation(sql, waId);
        return c.outbound[0]?.status === "queued" && c.inbound[0]?.handled_at
          ? c.outbound[0]
          : undefined;
      }, 20_000);
      assert.equal((await botTexts(page)).length, 0, "nothing reached the phone yet");
      // The backoff is over (made due now rather than waited for); the sweep's worker sends it.
      await sql`update whatsapp_outbound_messages set next_attempt_at = now() where id = ${queued.id}`;
      const worker = await fetch(functionsUrl("whatsapp-worker"), {
        method: "POST",
        headers: {
          authorization: `Bearer ${requireEnv("SUPABASE_SERVICE_ROLE_KEY")}`,
          "content-type": "application/json",
        },
        body: "{}",
      });
      await worker.body?.cancel();
      assert.equal(worker.status, 200);
      await page.waitForSelector(".msg.bot", { timeout: 20_000 });
      assert.equal((await botTexts(page))[0], queued.message.text, "the retried reply, once");
    } finally {
      await browser.close();
      await sql`delete from bookings where contact_id in (select id from contacts where whatsapp_id = ${
        "+" + waId
      })`;
      await removeCustomers(sql, [waId]);
      await sql.end();
    }
  },
});
