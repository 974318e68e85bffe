// Push notifications end to end against the local fakes: channels opened (Graph's validation
// handshake answered by this function through the gateway), a notification resyncs only its
// member, forged ones are refused with nothing queued, bursts queue one sync, and the renewal
// job replaces expiring channels and stops those of disconnected members.
import assert from "node:assert/strict";
import { eventually, functionsUrl } from "../../../local/tests/helpers.ts";
import {
  at,
  busyTimes,
  connect,
  fake,
  type FakeProvider,
  putEvent,
  type Sql,
  withMember,
} from "../calendar-oauth-callback/test_helpers.ts";
import { renewPushChannels } from "../calendar-push-renew/index.ts";
import { closeDb } from "../_shared/db.ts";

const renewOptions = (now?: Date) => ({
  notificationUrl: functionsUrl("calendar-notifications"),
  timeoutMs: 10_000,
  now: now ? () => now : undefined,
});
// The id of the last request ever queued through pg_net (its sequence, whatever the worker did).
const lastRequestId = async (sql: Sql) => {
  const [{ seq }] = await sql`select pg_get_serial_sequence('net.http_request_queue', 'id') as seq`;
  const [row] = await sql.unsafe(`select last_value from ${seq}`);
  return BigInt(row.last_value);
};
const channelOf = async (sql: Sql, id: string) => {
  const [row] =
    await sql`select channel_id, token_hash, expires_at from private.calendar_push_channels
    where team_member_id = ${id}`;
  return row;
};
const post = (headers: Record<string, string>, body?: string) =>
  fetch(functionsUrl("calendar-notifications"), { method: "POST", headers, body });

Deno.test("Graph's validation handshake gets its token back as plain text", async () => {
  const token = "Validation: Testing client application reachability \u00e9 <b>";
  const res = await fetch(
    `${functionsUrl("calendar-notifications")}?validationToken=${encodeURIComponent(token)}`,
    { method: "POST", headers: { "content-type": "text/plain" } },
  );
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^text\/plain/);
  assert.equal(await res.text(), token);
});

Deno.test("Google: a notification resyncs only its member; forged ones are refused and queue nothing", async () => {
  await withMember(async (sql, id) => {
    await withMember(async (_, otherId) => {
      const account = `push-${crypto.randomUUID().slice(0, 8)}`;
      const other = `push-${crypto.randomUUID().slice(0, 8)}`;
      await connect(sql, id, "google", account);
      await connect(sql, otherId, "google", other);
      const renewed = await renewPushChannels(sql, renewOptions());
      assert.ok(
        renewed.channels.filter((c) => [id, otherId].includes(c.teamMemberId)).every((c) =>
          c.result === "done"
        ),
      );
      const { channels } = await fake("google", account, "channels", { method: "GET" });
      assert.equal(channels.length, 1, "a watch channel is open");
      const stored = await channelOf(sql, id);
      assert.equal(stored.channel_id, channels[0].id);
      assert.ok(
        !JSON.stringify(stored).includes(channels[0].token),
        "only the token's hash is stored",
      );

      const [{ attempted: otherBefore }] =
        await sql`select last_attempt_at as attempted from calendar_sync_state where team_member_id = ${otherId}`;
      await putEvent("google", account, "pushed1", {
        status: "confirmed",
        start: { dateTime: at(8) },
        end: { dateTime: at(9) },
      });
      assert.deepEqual((await fake("google", account, "notify")).answers, [200]);
      await eventually(
        async () => (await busyTimes(sql, id)).some((b) => b.uid === "pushed1") ? true : undefined,
        20_000,
      );
      const [{ attempted: otherAfter }] =
        await sql`select last_attempt_at as attempted from calendar_sync_state where team_member_id = ${otherId}`;
      assert.deepEqual(otherAfter, otherBefore, "the other member was not synced");

      const before = await lastRequestId(sql);
      for (
        const headers of <Record<string, string>[]> [
          {
            "x-goog-channel-id": channels[0].id,
            "x-goog-channel-token": "forged",
            "x-goog-resource-state": "exists",
          },
          { "x-goog-channel-id": channels[0].id, "x-goog-resource-state": "exists" },
          { "x-goog-channel-id": "unknown-channel", "x-goog-channel-token": channels[0].token },
          { "x-goog-channel-id": "x".repeat(5000), "x-goog-channel-token": channels[0].token },
        ]
      ) {
        const res = await post(headers);
        await res.body?.cancel();
        assert.equal(res.status, 401);
      }
      assert.equal(await lastRequestId(sql), before, "nothing was queued");

      // A burst: many genuine notifications at once queue one sync.
      await sql`update private.calendar_push_channels set last_queued_at = null where team_member_id = ${id}`;
      const burst = await Promise.all(
        Array.from({ length: 5 }, () =>
          post({
            "x-goog-channel-id": channels[0].id,
            "x-goog-channel-token": channels[0].token,
            "x-goog-resource-state": "exists",
          })
            .then(async (r) => (await r.body?.cancel(), r.status))),
      );
      assert.deepEqual(burst, [200, 200, 200, 200, 200]);
      assert.equal(await lastRequestId(sql), before + 1n, "one sync queued for the burst");
    });
  });
});

Deno.test("Outlook: the subscription passes Graph's validation; clientState is checked", async () => {
  await withMember(async (sql, id) => {
    const account = `push-${crypto.randomUUID().slice(0, 8)}`;
    await connect(sql, id, "outlook", account);
    const renewed = await renewPushChannels(sql, renewOptions());
    assert.equal(renewed.channels.find((c) => c.teamMemberId === id)?.result, "done");
    const { channels } = await fake("microsoft", account, "channels", { method: "GET" });
    assert.equal(channels.length, 1, "the subscription exists (the handshake was answered)");
    assert.deepEqual((await fake("microsoft", account, "notify")).answers, [202]);

    const before = await lastRequestId(sql);
    const forged = await post(
      { "content-type": "application/json" },
      JSON.stringify({
        value: [{ subscriptionId: channels[0].id, clientState: "guessed", changeType: "updated" }],
      }),
    );
    await forged.body?.cancel();
    assert.equal(forged.status, 403);
    for (const body of ["not json", "{}", JSON.stringify({ value: [] }), "[".repeat(100_000)]) {
      const res = await post({ "content-type": "application/json" }, body);
      await res.body?.cancel();
      assert.equal(res.status, 400);
    }
    assert.equal(await lastRequestId(sql), before, "nothing was queued");
  });
});

Deno.test("the renewal job replaces expiring channels and stops those of disconnected members", async () => {
  await withMember(async (sql, id) => {
    const account = `push-${crypto.randomUUID().slice(0, 8)}`;
    const provider: FakeProvider = "google";
    await connect(sql, id, "google", account);
    await renewPushChannels(sql, renewOptions());
    const first = await channelOf(sql, id);
    const due = async (now: Date) =>
      (await sql`select count(*)::int as n from private.calendar_push_work(${now}) where team_member_id = ${id}`)[
        0
      ].n;
    assert.equal(await due(new Date()), 0, "a fresh channel needs nothing");
    const sixDaysOn = new Date(first.expires_at.getTime() - 12 * 3_600_000);
    assert.equal(await due(sixDaysOn), 1, "a day before it expires it is due");
    const [{ queued }] =
      await sql`select private.queue_calendar_push_renewal(${sixDaysOn}) is not null as queued`;
    assert.equal(queued, true, "the hourly job queues the renewal");

    await renewPushChannels(sql, renewOptions(sixDaysOn));
    const second = await channelOf(sql, id);
    assert.notEqual(second.channel_id, first.channel_id, "a new channel");
    const open = (await fake(provider, account, "channels", { method: "GET" })).channels;
    assert.deepEqual(
      open.map((c: { id: string }) => c.id),
      [second.channel_id],
      "the old one was stopped",
    );

    await sql`update team_members set calendar_provider = 'ical', calendar_source_url = 'https://example.com/public.ics' where id = ${id}`;
    await renewPushChannels(sql, renewOptions());
    assert.equal(await channelOf(sql, id), undefined, "forgotten");
    assert.equal(
      (await fake(provider, account, "channels", { method: "GET" })).channels.length,
      0,
      "and stopped",
    );
  });
});

Deno.test({
  name: "close the shared pool (push)",
  fn: closeDb,
  sanitizeOps: false,
  sanitizeResources: false,
});
