// Test helpers for the Google/Outlook paths: team members, the local fake APIs' controls, and
// connecting a calendar the way a team member does (admin link -> consent page -> callback).
import assert from "node:assert/strict";
import { eventually, functionsUrl, requireEnv, testDb } from "../../../local/tests/helpers.ts";

export type Sql = ReturnType<typeof testDb>;
export type FakeProvider = "google" | "microsoft";

export const fakeUrl = (path: string) => `${requireEnv("CALENDAR_API_FAKE_URL")}${path}`;

/** Calls a control of the fake servers for one account. */
export async function fake(
  provider: FakeProvider,
  account: string,
  what: string,
  init: { method?: string; body?: unknown; id?: string } = {},
) {
  const res = await fetch(
    fakeUrl(
      `/_fake/${provider}/${account}/${what}${init.id ? `/${encodeURIComponent(init.id)}` : ""}`,
    ),
    {
      method: init.method ?? "POST",
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    },
  );
  assert.equal(res.status, 200, `fake control ${what}`);
  return await res.json();
}

export const putEvent = (provider: FakeProvider, account: string, id: string, body: unknown) =>
  fake(provider, account, "events", { method: "PUT", id, body });
export const deleteEvent = (provider: FakeProvider, account: string, id: string) =>
  fake(provider, account, "events", { method: "DELETE", id });

/** A team member offering a service, removed (with their Vault secret) afterwards. */
export async function withMember(fn: (sql: Sql, id: string, name: string) => Promise<void>) {
  const sql = testDb();
  const name = `OAuth test ${crypto.randomUUID().slice(0, 8)}`;
  const [member] = await sql`insert into team_members (name) values (${name}) returning id`;
  await sql`insert into team_member_services (team_member_id, service_id)
    select ${member.id}::uuid, id from services where name = 'Dental Cleaning'`;
  try {
    await fn(sql, member.id, name);
  } finally {
    await sql`delete from team_members where id = ${member.id}`;
    await sql`delete from vault.secrets where name like ${
      "team_member_" + member.id.replaceAll("-", "_") + "%"
    }`;
    await sql.end();
  }
}

export const noRedirect = { redirect: "manual" as const };

/** The admin's link for a member, as Studio would run it. */
export async function connectLink(
  sql: Sql,
  id: string,
  provider: "google" | "outlook",
  now?: Date,
): Promise<string> {
  const [row] = await sql`select admin_calendar_connect_link(${id}::uuid, ${provider},
    coalesce(${now ?? null}::timestamptz, now())) as link`;
  return row.link;
}

/** Follows the link to the consent page and signs in `account`; returns the callback URL. */
export async function consent(link: string, account: string): Promise<URL> {
  const start = await fetch(link, noRedirect);
  await start.body?.cancel();
  assert.equal(start.status, 302, "the link sends the browser to the consent page");
  const consentPage = new URL(start.headers.get("location")!);
  consentPage.searchParams.set("login_hint", account);
  const approved = await fetch(consentPage, noRedirect);
  await approved.body?.cancel();
  assert.equal(approved.status, 302, "the consent page sends the browser back");
  const back = new URL(approved.headers.get("location")!);
  assert.equal(`${back.origin}${back.pathname}`, functionsUrl("calendar-oauth-callback"));
  return back;
}

export async function openPage(url: URL | string) {
  const res = await fetch(url, noRedirect);
  return { status: res.status, text: await res.text() };
}

/** Connects and waits for the test sync the callback queues (through pg_net) to finish. */
export async function connect(
  sql: Sql,
  id: string,
  provider: "google" | "outlook",
  account: string,
) {
  const page = await openPage(await consent(await connectLink(sql, id, provider), account));
  assert.equal(page.status, 200, page.text);
  return await syncedAfterConnect(sql, id);
}

export async function syncedAfterConnect(sql: Sql, id: string) {
  return await eventually(async () => {
    const [row] = await sql`select calendar_sync_status as status, calendar_sync_error as error
      from team_members where id = ${id}`;
    return row.status === "pending" ? undefined : row;
  }, 20_000);
}

export async function busyTimes(sql: Sql, id: string) {
  return await sql<{ uid: string; starts_at: Date; ends_at: Date }[]>`
    select source_uid as uid, starts_at, ends_at from calendar_busy_times
    where team_member_id = ${id} order by starts_at, source_uid`;
}

/** Whole hours from a fixed point (the start of the next UTC day + 2 days), as RFC 3339. */
export function at(hoursFromBase: number): string {
  const base = new Date();
  base.setUTCHours(0, 0, 0, 0);
  return new Date(base.getTime() + (48 + hoursFromBase) * 3_600_000).toISOString();
}

/** A business-local date some days after the base (for all-day events). */
export function day(daysFromBase: number): string {
  return at(daysFromBase * 24).slice(0, 10);
}
