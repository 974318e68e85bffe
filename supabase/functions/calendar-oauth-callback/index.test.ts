// Connecting Google and Outlook calendars the way a team member does: the admin's link, the
// (local fake) consent page, the callback through the functions gateway. Forged, replayed and
// expired links store nothing.
import assert from "node:assert/strict";
import { functionsUrl } from "../../../local/tests/helpers.ts";
import {
  connectLink,
  consent,
  noRedirect,
  openPage,
  type Sql,
  syncedAfterConnect,
  withMember,
} from "./test_helpers.ts";

const account = () => `connect-${crypto.randomUUID().slice(0, 8)}`;

async function calendarOf(sql: Sql, id: string) {
  const [row] = await sql`select calendar_provider, calendar_source_url, calendar_secret_ref,
      private.calendar_secret(id) as secret from team_members where id = ${id}`;
  return row;
}

Deno.test("Google: the link asks for offline access with the smallest scope, then connects the calendar", async () => {
  await withMember(async (sql, id, name) => {
    const link = await connectLink(sql, id, "google");
    assert.ok(link.startsWith(functionsUrl("calendar-oauth-callback") + "?connect="));
    const start = await fetch(link, noRedirect);
    await start.body?.cancel();
    const to = new URL(start.headers.get("location")!);
    assert.equal(to.searchParams.get("client_id"), Deno.env.get("GOOGLE_CLIENT_ID"));
    assert.equal(to.searchParams.get("scope"), "https://www.googleapis.com/auth/calendar.events");
    assert.equal(to.searchParams.get("access_type"), "offline");
    assert.equal(to.searchParams.get("prompt"), "consent");
    assert.equal(to.searchParams.get("redirect_uri"), functionsUrl("calendar-oauth-callback"));
    assert.equal(to.searchParams.get("state"), new URL(link).searchParams.get("connect"));

    const page = await openPage(await consent(link, account()));
    assert.equal(page.status, 200);
    assert.match(page.text, new RegExp(`Google Calendar connected[\\s\\S]*${name}`));
    const calendar = await calendarOf(sql, id);
    assert.equal(calendar.calendar_provider, "google");
    assert.equal(calendar.calendar_source_url, "primary");
    assert.match(
      calendar.secret,
      /^1\/\/refresh-/,
      "the refresh token is the member's Vault secret",
    );
    assert.ok(!page.text.includes(calendar.secret), "the page shows no token");
    const synced = await syncedAfterConnect(sql, id);
    assert.equal(synced.status, "active", "the queued test sync read the new calendar");
  });
});

Deno.test("Outlook: connects with offline_access and Calendars.ReadWrite", async () => {
  await withMember(async (sql, id) => {
    const link = await connectLink(sql, id, "outlook");
    const back = await consent(link, account());
    const page = await openPage(back);
    assert.equal(page.status, 200, page.text);
    assert.match(page.text, /Outlook calendar connected/);
    const calendar = await calendarOf(sql, id);
    assert.equal(calendar.calendar_provider, "outlook");
    assert.equal(calendar.calendar_source_url, null, "the default calendar");
    assert.match(calendar.secret, /^M\.R3_refresh-/);
    assert.equal((await syncedAfterConnect(sql, id)).status, "active");
  });
});

Deno.test("a replayed callback is refused and changes nothing", async () => {
  await withMember(async (sql, id) => {
    const back = await consent(await connectLink(sql, id, "google"), account());
    assert.equal((await openPage(back)).status, 200);
    await syncedAfterConnect(sql, id);
    const before = await calendarOf(sql, id);
    const replay = await openPage(back);
    assert.equal(replay.status, 400);
    assert.match(replay.text, /does not work[\s\S]*already used/);
    assert.deepEqual(await calendarOf(sql, id), before);
    // The link itself is used up too.
    assert.equal((await openPage(await connectLink(sql, id, "google"))).status, 302);
  });
});

Deno.test("forged, altered, expired and denied links store nothing", async () => {
  await withMember(async (sql, id) => {
    const link = await connectLink(sql, id, "google");
    const state = new URL(link).searchParams.get("connect")!;
    const [nonce, signature] = state.split(".");
    const flipped = signature[0] === "A" ? "B" + signature.slice(1) : "A" + signature.slice(1);
    const forged = [
      `${nonce}.${flipped}`, // signature altered
      `${"0".repeat(32)}.${signature}`, // another nonce
      `${nonce}`, // unsigned
      `${nonce}.${signature}\r\nX-Injected: 1`,
      "x".repeat(8_000), // (fetch refuses much longer URLs)
    ];
    for (const bad of forged) {
      const url = new URL(functionsUrl("calendar-oauth-callback"));
      url.searchParams.set("state", bad);
      url.searchParams.set("code", "code-that-was-never-issued");
      const page = await openPage(url);
      assert.ok([400, 414].includes(page.status), `refused: ${bad.slice(0, 40)}`);
      const connect = new URL(functionsUrl("calendar-oauth-callback"));
      connect.searchParams.set("connect", bad);
      assert.ok([400, 414].includes((await openPage(connect)).status));
    }
    // Expired: made 25 hours ago (links live 24 hours).
    const old = await connectLink(sql, id, "google", new Date(Date.now() - 25 * 3_600_000));
    const expired = await openPage(old);
    assert.equal(expired.status, 400);
    assert.match(expired.text, /expired/);
    // Denied at the consent page.
    const denied = new URL(functionsUrl("calendar-oauth-callback"));
    denied.searchParams.set("state", state);
    denied.searchParams.set("error", "access_denied");
    const page = await openPage(denied);
    assert.match(page.text, /was not connected[\s\S]*nothing changed/);
    assert.deepEqual(await calendarOf(sql, id), {
      calendar_provider: null,
      calendar_source_url: null,
      calendar_secret_ref: null,
      secret: null,
    });
    // The genuine link still works after all that.
    assert.equal((await openPage(await consent(link, account()))).status, 200);
  });
});

Deno.test("only admins get connect links", async () => {
  await withMember(async (sql, id) => {
    await assert.rejects(
      sql.begin(async (tx) => {
        await tx`select set_config('request.jwt.claims', '{"role": "authenticated", "sub": "00000000-0000-4000-8000-000000000009"}', true)`;
        await tx`set local role authenticated`;
        await tx`select admin_calendar_connect_link(${id}::uuid, 'google')`;
      }),
      /only admins/,
      "a signed-in non-admin is refused",
    );
    await assert.rejects(
      sql`select admin_calendar_connect_link(${id}::uuid, 'icloud')`,
      /google or outlook/,
    );
  });
});
