// Text folding and fuzzy matching shared by the interpreter's rules. Everything is compared
// folded (lower case, no accents, no emojis), so "Zürich", "zurich" and "ZÜRICH 😊" are equal.

/** Lower case, accents removed, ß → ss, apostrophes unified, emojis and punctuation as spaces
 * (":" "." "/" kept between digits for times and dates). */
export function fold(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/ß/g, "ss")
    .replace(/[’‘`´]/g, "'")
    .replace(/(\d)\s*([:./h])\s*(\d)/g, "$1$2$3")
    .replace(/[^\p{L}\p{N}:./' ]+/gu, " ")
    .replace(/(^|\s)[.:/']+|[.:/']+(?=\s|$)/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** Names are also compared with German umlaut spellings unified ("Mueller" = "Müller"). */
export function foldName(text: string): string {
  return fold(text.replace(/ä/gi, "a").replace(/ö/gi, "o").replace(/ü/gi, "u"))
    .replace(/ae/g, "a").replace(/oe/g, "o").replace(/ue/g, "u");
}

export function words(folded: string): string[] {
  return folded.split(" ").filter((w) => w.length > 0);
}

/** Levenshtein distance with an early exit above `max` (returns max + 1 then). */
export function editDistance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      rowMin = Math.min(rowMin, current[j]);
    }
    if (rowMin > max) return max + 1;
    previous = current;
  }
  return previous[b.length];
}

/** Typos tolerated for a word of this length: none below 4 letters, one up to 7, two above. */
export function typoAllowance(length: number): number {
  return length < 4 ? 0 : length <= 7 ? 1 : 2;
}

/** Does `phrase` (folded, one or more words) occur in `tokens`, allowing typos? Returns the
 * distance of the best match, or null. */
export function findPhrase(
  tokens: string[],
  phrase: string,
): { index: number; distance: number } | null {
  const parts = words(phrase);
  if (parts.length === 0) return null;
  const allowance = typoAllowance(phrase.replace(/ /g, "").length);
  let best: { index: number; distance: number } | null = null;
  for (let i = 0; i + parts.length <= tokens.length; i++) {
    const candidate = tokens.slice(i, i + parts.length).join(" ");
    // Compounds written apart or together ("zahn reinigung", "deeptissue") still count.
    const distance = Math.min(
      editDistance(candidate, phrase, allowance),
      editDistance(candidate.replace(/ /g, ""), phrase.replace(/ /g, ""), allowance),
    );
    if (distance <= allowance && (best === null || distance < best.distance)) {
      best = { index: i, distance };
    }
  }
  // A phrase of one word written as two ("zahn reinigung").
  if (parts.length === 1) {
    for (let i = 0; i + 2 <= tokens.length; i++) {
      const joined = tokens[i] + tokens[i + 1];
      const distance = editDistance(joined, phrase, allowance);
      if (distance <= allowance && (best === null || distance < best.distance)) {
        best = { index: i, distance };
      }
    }
  }
  return best;
}

/** Does any of the phrases occur (exactly, as whole words) in the folded text? */
export function hasAny(folded: string, phrases: readonly string[]): string | null {
  const padded = ` ${folded} `;
  for (const phrase of phrases) {
    if (padded.includes(` ${phrase} `)) return phrase;
  }
  return null;
}
