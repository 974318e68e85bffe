// Rendering to Meta's JSON: limits are enforced by shortening, never by rejecting.
import assert from "node:assert/strict";
import { LIMITS, renderMessage, shorten, uniqueTitles } from "./render.ts";

const to = { whatsappId: "+41791110001", userId: null };

// Deliberately simple second implementation: try every prefix length, keep the longest that fits.
function shortenSlowly(text: string, max: number): string {
  const clean = text.trim();
  if (clean.length <= max) return clean;
  const chars = Array.from(clean);
  for (let n = chars.length; n >= 0; n--) {
    const candidate = chars.slice(0, n).join("");
    if (candidate.length <= max - 1) return candidate.trimEnd() + "…";
  }
  return "…";
}

const ALPHABET = ["a", "Z", " ", "é", "ß", "ü", "😀", "👩‍⚕️", "中", "\n", "-", "\u0301"];
function randomText(random: () => number, maxLength: number): string {
  const n = Math.floor(random() * maxLength);
  return Array.from({ length: n }, () => ALPHABET[Math.floor(random() * ALPHABET.length)]).join("");
}
// A seeded generator, so a failure can be replayed.
function seeded(seed: number): () => number {
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

Deno.test("shorten agrees with a brute-force version on 2,000 random unicode titles", () => {
  const random = seeded(42);
  for (let i = 0; i < 2000; i++) {
    const text = randomText(random, 60);
    const max = 1 + Math.floor(random() * 30);
    const short = shorten(text, max);
    assert.equal(short, shortenSlowly(text, max), JSON.stringify({ text, max }));
    assert.ok(short.length <= max, `${JSON.stringify(short)} longer than ${max}`);
    assert.ok(!/[\ud800-\udbff]$/.test(short.replace(/…$/, "")), "never cuts an emoji in half");
  }
});

Deno.test("a long team-member name on a button is shortened with …, never dropped", () => {
  const body = renderMessage({
    type: "buttons",
    text: "When would you like to come?",
    buttons: [
      { id: "slot-1", title: "Tue 10:00 Dr. Alexandra Weber-Müller" },
      { id: "slot-2", title: "Tue 10:00 Dr. Alexandra Weber-Meier" },
      { id: "other", title: "Other time" },
    ],
  }, to) as { interactive: { action: { buttons: { reply: { id: string; title: string } }[] } } };
  const titles = body.interactive.action.buttons.map((b) => b.reply.title);
  assert.equal(titles.length, 3);
  assert.ok(titles.every((t) => t.length <= LIMITS.buttonTitle));
  assert.equal(
    new Set(titles).size,
    3,
    "titles stay unique after shortening (Meta rejects duplicates)",
  );
  assert.equal(titles[0], "Tue 10:00 Dr. Alexa…");
  assert.deepEqual(body.interactive.action.buttons.map((b) => b.reply.id), [
    "slot-1",
    "slot-2",
    "other",
  ]);
});

Deno.test("uniqueTitles keeps titles unique and within the limit on random input", () => {
  const random = seeded(7);
  for (let i = 0; i < 300; i++) {
    const base = randomText(random, 40);
    const titles = Array.from(
      { length: 10 },
      () => base + (random() < 0.5 ? "" : randomText(random, 3)),
    );
    const out = uniqueTitles(titles.map((t) => t || "x"), 24);
    assert.equal(new Set(out).size, out.length, JSON.stringify(titles));
    assert.ok(out.every((t) => t.length <= 24));
  }
});

Deno.test("a list enforces rows ≤ 10, row title ≤ 24, description ≤ 72, button ≤ 20", () => {
  const rows = Array.from({ length: 14 }, (_, i) => ({
    id: `row-${i}`,
    title: `Appointment with Dr. Maximilian Mustermann-Schneider ${i}`,
    description: "x".repeat(200),
  }));
  const body = renderMessage({
    type: "list",
    text: "Pick one",
    button: "Show all available times",
    rows,
  }, to);
  const list = (body as {
    interactive: {
      action: { button: string; sections: { rows: { title: string; description: string }[] }[] };
    };
  })
    .interactive.action;
  assert.equal(list.sections[0].rows.length, 10);
  assert.ok(list.button.length <= 20 && list.button.endsWith("…"));
  assert.ok(list.sections[0].rows.every((r) => r.title.length <= 24 && r.description.length <= 72));
});

Deno.test("more than three buttons become a list rather than being rejected", () => {
  const body = renderMessage({
    type: "buttons",
    text: "Who?",
    buttons: ["A", "B", "C", "D"].map((x) => ({ id: x, title: x })),
  }, to) as { interactive: { type: string; action: { sections: { rows: unknown[] }[] } } };
  assert.equal(body.interactive.type, "list");
  assert.equal(body.interactive.action.sections[0].rows.length, 4);
});

Deno.test("text, template and addressing by number or business-scoped user id", () => {
  const text = renderMessage({ type: "text", text: "é".repeat(5000) }, to) as {
    to: string;
    text: { body: string };
  };
  assert.equal(text.to, "+41791110001");
  assert.equal(text.text.body.length, LIMITS.textBody);
  const template = renderMessage(
    { type: "template", name: "appt_reminder", language: "de", components: [{ type: "body" }] },
    { whatsappId: null, userId: "CH.abc123" },
  ) as Record<string, unknown>;
  assert.equal(template.recipient, "CH.abc123");
  assert.equal(template.to, undefined);
  assert.deepEqual(template.template, {
    name: "appt_reminder",
    language: { code: "de" },
    components: [{ type: "body" }],
  });
});
