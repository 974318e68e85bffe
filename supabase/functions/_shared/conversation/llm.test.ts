// The LLM interpreter against a local fake chat-completions endpoint: a good answer is used;
// timeout, HTTP errors, invalid JSON, schema-invalid output and invented ids fall back to the rules.
import assert from "node:assert/strict";
import { type LlmConfig, llmConfig, llmInterpreter } from "./llm.ts";
import { interpret } from "./interpret.ts";
import { ids, worldContext } from "./test_world.ts";

type Behaviour = (body: Record<string, unknown>, req: Request) => Response | Promise<Response>;

async function withFakeEndpoint(
  behaviour: Behaviour,
  fn: (config: LlmConfig, seen: Record<string, unknown>[]) => Promise<void>,
  timeoutMs = 10_000,
) {
  const seen: Record<string, unknown>[] = [];
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, async (req) => {
    const body = await req.json();
    seen.push({ ...body, authorization: req.headers.get("authorization") });
    return await behaviour(body, req);
  });
  const config: LlmConfig = {
    LLM_API_URL: `http://127.0.0.1:${server.addr.port}/v1/chat/completions`,
    LLM_API_KEY: "sk-test-secret-key-never-logged",
    LLM_MODEL: "fake-model",
    // Generous, so only the test of a silent endpoint (which never answers) ever times out.
    LLM_TIMEOUT_MS: timeoutMs,
  };
  try {
    await fn(config, seen);
  } finally {
    await server.shutdown();
  }
}

const completion = (content: string) =>
  Response.json({ choices: [{ message: { role: "assistant", content } }] });

const modelIntent = {
  intent: "book",
  language: "en",
  service_id: ids.cleaning,
  service_ids: [],
  window_from: null,
  window_to: null,
  exact_time: false,
  part_of_day: null,
  urgent: false,
  team_member_ids: [ids.weber],
  anyone: false,
  choice: null,
  customer_statement: null,
  text: "whatever the model says",
};

// Rules alone read nothing bookable in this sentence; the model does.
const TEXT = "same as always with my usual lady";

Deno.test("llm: a valid answer is used, asked with the hydrated prompt, the key as bearer, the model", async () => {
  await withFakeEndpoint(() => completion(JSON.stringify(modelIntent)), async (config, seen) => {
    const reasons: string[] = [];
    const intent = await llmInterpreter(config, "PROMPT for Praxis", {
      onFallback: (r) => reasons.push(r),
    })(TEXT, worldContext());
    assert.equal(intent.intent, "book");
    assert.equal(intent.service_id, ids.cleaning);
    assert.deepEqual(intent.team_member_ids, [ids.weber]);
    assert.equal(intent.text, TEXT, "the customer's words, not the model's");
    assert.deepEqual(reasons, []);
    assert.equal(seen.length, 1);
    assert.equal(seen[0].authorization, "Bearer sk-test-secret-key-never-logged");
    assert.equal(seen[0].model, "fake-model");
    assert.deepEqual(seen[0].messages, [{ role: "system", content: "PROMPT for Praxis" }, {
      role: "user",
      content: TEXT,
    }]);
  });
});

const fallbacks: [string, Behaviour, string][] = [
  [
    "no answer within the timeout",
    (_b, req) =>
      new Promise((resolve) =>
        req.signal.addEventListener("abort", () => resolve(new Response(null, { status: 499 })))
      ),
    "timed out",
  ],
  [
    "HTTP 500",
    () => new Response("upstream exploded sk-test-secret-key-never-logged", { status: 500 }),
    "HTTP 500",
  ],
  ["not a chat completion", () => Response.json({ error: "nope" }), "not a chat completion"],
  [
    "content that is not JSON",
    () => completion("Sure! The customer wants a cleaning."),
    "output is not JSON",
  ],
  [
    "an unknown intent",
    () => completion(JSON.stringify({ ...modelIntent, intent: "dance" })),
    "output does not match the Intent schema",
  ],
  ["a missing field", () => {
    const { urgent: _urgent, ...rest } = modelIntent;
    return completion(JSON.stringify(rest));
  }, "output does not match the Intent schema"],
  [
    "an invented service id",
    () => completion(JSON.stringify({ ...modelIntent, service_id: crypto.randomUUID() })),
    "output names something that does not exist",
  ],
  [
    "a choice nothing was offered for",
    () => completion(JSON.stringify({ ...modelIntent, intent: "choose", choice: 2 })),
    "output names something that does not exist",
  ],
  ["a 5 MB answer", () => completion("x".repeat(5_000_000)), "not a chat completion"],
];

for (const [name, behaviour, reason] of fallbacks) {
  Deno.test(`llm: ${name} → the rules answer`, async () => {
    await withFakeEndpoint(behaviour, async (config) => {
      const reasons: string[] = [];
      const text = "i need a cleaning tomorrow morning";
      const intent = await llmInterpreter(config, "PROMPT", { onFallback: (r) => reasons.push(r) })(
        text,
        worldContext(),
      );
      assert.deepEqual(intent, interpret(text, worldContext()));
      assert.deepEqual(reasons, [reason]);
      assert.ok(
        !reasons.join(" ").includes(config.LLM_API_KEY),
        "the key never appears in a reason",
      );
    }, reason === "timed out" ? 200 : 10_000);
  });
}

Deno.test("llm: an unreachable endpoint → the rules answer", async () => {
  const config: LlmConfig = {
    LLM_API_URL: "http://127.0.0.1:9/v1/chat/completions",
    LLM_API_KEY: "k",
    LLM_MODEL: "m",
    LLM_TIMEOUT_MS: 500,
  };
  const reasons: string[] = [];
  const intent = await llmInterpreter(config, "P", { onFallback: (r) => reasons.push(r) })(
    "ja",
    worldContext({ awaiting: "offer" }),
  );
  assert.equal(intent.intent, "yes");
  assert.equal(reasons.length, 1);
});

Deno.test("llm: a tapped button is read without asking the model", async () => {
  await withFakeEndpoint(() => completion(JSON.stringify(modelIntent)), async (config, seen) => {
    const intent = await llmInterpreter(config, "P")(
      "Yes",
      worldContext({ replyId: "yes", awaiting: "offer" }),
    );
    assert.equal(intent.intent, "yes");
    assert.equal(seen.length, 0);
  });
});

Deno.test("llm settings: off without LLM_API_URL; a broken one names the variable, never the value", () => {
  assert.equal(llmConfig({}), null);
  assert.equal(
    llmConfig({
      LLM_API_URL: "https://llm.example/v1/chat/completions",
      LLM_API_KEY: "k",
      LLM_MODEL: "m",
    })?.LLM_TIMEOUT_MS,
    3000,
  );
  assert.throws(
    () => llmConfig({ LLM_API_URL: "ftp://secret-host/x", LLM_API_KEY: "", LLM_MODEL: "m" }),
    (error: Error) =>
      error.message.includes("LLM_API_URL") && error.message.includes("LLM_API_KEY") &&
      !error.message.includes("secret-host"),
  );
});
