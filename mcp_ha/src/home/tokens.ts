// A close, slightly high estimate of how many o200k tokens a text is, without a tokenizer at run
// time: words count one token per 8 letters, digits one per group of up to three (as o200k splits
// them), punctuation one per two characters, spaces nothing. On history, statistics and logbook
// answers it lands between 1.0 and 1.2 times the real count (test/tools/history.test.ts checks).
export function estimateTokens(text: string): number {
  let n = 0;
  for (const m of text.matchAll(/[A-Za-z]+|\d{1,3}|[^\sA-Za-z\d]+|\s+/g)) {
    const p = m[0];
    const c = p.charCodeAt(0);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) n += Math.ceil(p.length / 8);
    else if (c >= 48 && c <= 57) n += 1;
    else if (c !== 32 && c !== 10 && c !== 9) n += Math.ceil(p.length / 2);
  }
  return n;
}

/** Tokens an answer may have by default (about; the estimate errs high). */
export const MAX_ANSWER_TOKENS = 8000;
