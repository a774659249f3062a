// Secrets a run learns (tokens, passwords) are registered once and replaced wherever text leaves the process:
// log lines, the summary, the JSON report. GitHub masks them again in its log (core.setSecret).

export class Redactor {
  readonly #secrets = new Set<string>();

  add(secret: string): void {
    // Very short values would blank out ordinary words; GitHub ignores them too.
    if (secret.length >= 4) this.#secrets.add(secret);
  }

  redact(text: string): string {
    let result = text;
    // Longest first, so a secret that contains another is replaced whole.
    for (const secret of [...this.#secrets].sort((a, b) => b.length - a.length)) {
      result = result.replaceAll(secret, "***");
    }
    return result;
  }
}
