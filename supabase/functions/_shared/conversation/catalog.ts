// Services and team members named in a message: by name, synonym, any part of a person's name
// (with or without title) and with small typos.
import type { InterpretContext } from "./intent.ts";
import { editDistance, findPhrase, fold, foldName, typoAllowance, words } from "./text.ts";

/** Words that are part of service names but say too little on their own ("dental", "deep"). */
const weakWords = new Set([
  "dental",
  "tooth",
  "teeth",
  "deep",
  "tissue",
  "consultation",
  "treatment",
  "session",
  "therapy",
  "check",
  "appointment",
  "the",
  "and",
  "of",
]);

export interface ServiceMatch {
  serviceId: string | null;
  candidates: string[];
}

/** The service meant: a full name or synonym wins (the longest if several); words of names that
 * say little ("dental") only give candidates to ask about. */
export function matchService(
  tokens: string[],
  services: InterpretContext["services"],
): ServiceMatch {
  // Per service its best phrase; across services the one named first ("a cleaning and also a
  // whitening": the cleaning first, the whitening stays a candidate).
  const hits: { id: string; index: number; quality: number }[] = [];
  for (const service of services) {
    let best: { index: number; quality: number } | null = null;
    for (
      const phrase of [service.name, ...service.synonyms].map(fold).filter((p) => p.length >= 3)
    ) {
      const found = findPhrase(tokens, phrase);
      if (!found) continue;
      const quality = phrase.length - 2 * found.distance;
      if (!best || quality > best.quality) best = { index: found.index, quality };
    }
    if (best) hits.push({ id: service.id, ...best });
  }
  if (hits.length > 0) {
    hits.sort((a, b) => a.index - b.index || b.quality - a.quality);
    return { serviceId: hits[0].id, candidates: hits.length > 1 ? hits.map((h) => h.id) : [] };
  }
  const weak = services.filter((s) =>
    words(fold(s.name)).some((w) =>
      weakWords.has(w) && w.length >= 5 &&
      tokens.some((t) => editDistance(t, w, typoAllowance(w.length)) <= typoAllowance(w.length))
    )
  );
  // Even a single weak hit stays a candidate ("my tooth hurts" is not yet a filling).
  return { serviceId: null, candidates: weak.map((s) => s.id) };
}

const titles = new Set([
  "dr",
  "doctor",
  "doc",
  "doktor",
  "dott",
  "dottore",
  "dottoressa",
  "dottssa",
  "prof",
  "professor",
  "frau",
  "herr",
  "mr",
  "mrs",
  "ms",
  "miss",
  "mme",
  "madame",
  "monsieur",
  "mlle",
  "signora",
  "signor",
  "signore",
  "sig",
  "sra",
  "med",
  "dent",
]);
/** Everyday words that must never be taken for a name part. */
const notNames = new Set(["with", "bei", "avec", "con", "the", "der", "die", "das", "and", "und"]);

/** Team members named in the message. Several when a name is shared ("Sarah"): then the service,
 * if known, decides; if it cannot, all stay candidates and the conversation asks back. */
export function matchTeamMembers(
  text: string,
  members: InterpretContext["teamMembers"],
  serviceId: string | null,
): string[] {
  const tokens = words(foldName(text));
  const scored: { id: string; parts: number; exactFull: boolean }[] = [];
  for (const member of members) {
    const parts = words(foldName(member.name)).filter((p) =>
      p.length >= 3 && !titles.has(p) && !notNames.has(p)
    );
    let hits = 0;
    for (const part of parts) {
      const allowance = part.length >= 5 ? 1 : 0;
      if (
        tokens.some((t) =>
          t === part ||
          (allowance > 0 && t.length >= 4 && editDistance(t, part, allowance) <= allowance)
        )
      ) hits++;
    }
    if (hits > 0) scored.push({ id: member.id, parts: hits, exactFull: hits === parts.length });
  }
  if (scored.length <= 1) return scored.map((s) => s.id);
  // "Sarah Weber" names Dr. Sarah Weber more fully than Sarah.
  const most = Math.max(...scored.map((s) => s.parts));
  let candidates = scored.filter((s) => s.parts === most);
  if (candidates.length > 1 && serviceId) {
    const offering = candidates.filter((c) =>
      members.find((m) => m.id === c.id)!.serviceIds.includes(serviceId)
    );
    if (offering.length >= 1) candidates = offering;
  }
  return candidates.map((c) => c.id);
}
