// The page a team member sees after connecting: plain words, plain text (hosted Supabase serves
// function responses on *.supabase.co as text anyway), never a token, never cached, never sent on
// as a referrer.
export function page(status: number, title: string, ...lines: string[]): Response {
  return new Response([title, "", ...lines, ""].join("\n"), {
    status,
    headers: {
      "content-type": "text/plain; charset=utf-8",
      "cache-control": "no-store",
      "referrer-policy": "no-referrer",
      "x-content-type-options": "nosniff",
    },
  });
}

export const invalidLink = () =>
  page(
    400,
    "This connect link does not work.",
    "It has expired, was already used, or was changed on the way. Nothing was connected.",
    "Ask your admin for a new link.",
  );
