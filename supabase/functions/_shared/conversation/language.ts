// Which of German, English, French and Italian a message is in: marker words counted; a message
// without a clear winner ("ok", "2", a name) keeps the contact's language.
import { type Language, languages } from "./intent.ts";
import { languageMarkers } from "./lexicon.ts";

const markerSets = Object.fromEntries(
  languages.map((l) => [l, new Set(languageMarkers[l])]),
) as Record<Language, Set<string>>;

export function detectLanguage(tokens: string[], raw: string, fallback: Language | null): Language {
  const score: Record<Language, number> = { de: 0, en: 0, fr: 0, it: 0 };
  for (const token of tokens) {
    for (const language of languages) if (markerSets[language].has(token)) score[language]++;
  }
  // Letters only one language uses settle close calls.
  if (/[äöüß]/i.test(raw)) score.de += 1;
  if (
    /[çœ]|[a-z]'[aeiouyh]|\bê|è[a-z]/i.test(raw) &&
    !/\b(?:i'm|don't|it's|can't|i'd|i'll|that's|doesn't)\b/i.test(raw)
  ) {
    score.fr += 0.5;
  }
  if (/\b\w+(?:ì|ò|ù)\b|\bè\b/i.test(raw)) score.it += 1;
  const ranked = [...languages].sort((a, b) => score[b] - score[a]);
  const [first, second] = ranked;
  if (score[first] === 0) return fallback ?? "de";
  if (score[first] === score[second]) {
    if (fallback && score[fallback] === score[first]) return fallback;
    return fallback && score[fallback] === score[first] ? fallback : (fallback ?? first);
  }
  return first;
}
