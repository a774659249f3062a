// What the rehearsal shows as it goes: each step with what it waits for and how long it took, and the
// figures the summary reports at the end.

export interface StepRecord {
  readonly name: string;
  readonly seconds: number;
  readonly outcome: string;
  readonly ok: boolean;
}

export class Progress {
  readonly #started = performance.now();
  readonly #steps: StepRecord[] = [];
  readonly #write: (line: string) => void;

  constructor(write: (line: string) => void) {
    this.#write = write;
  }

  get steps(): readonly StepRecord[] {
    return this.#steps;
  }

  /** Seconds since the rehearsal started. */
  elapsed(): number {
    return (performance.now() - this.#started) / 1000;
  }

  note(message: string): void {
    this.#write(`  ${this.#clock()} ${message}`);
  }

  /** Runs one step: prints what it does, then how it ended and how long it took. */
  async step<T>(
    name: string,
    waitingFor: string,
    work: () => Promise<T>,
    describe: (value: T) => StepOutcome,
  ): Promise<T> {
    this.#write(`▶ ${this.#clock()} ${name}: ${waitingFor}`);
    const started = performance.now();
    try {
      const value = await work();
      const { outcome, ok } = describe(value);
      this.#finish(name, started, outcome, ok);
      return value;
    } catch (error) {
      this.#finish(name, started, error instanceof Error ? error.message : String(error), false);
      throw error;
    }
  }

  #finish(name: string, started: number, outcome: string, ok: boolean): void {
    const seconds = (performance.now() - started) / 1000;
    this.#steps.push({ name, seconds, outcome, ok });
    this.#write(`${ok ? "✔" : "✘"} ${this.#clock()} ${name}: ${outcome} (${seconds.toFixed(1)} s)`);
  }

  #clock(): string {
    return `[${this.elapsed().toFixed(1).padStart(6)} s]`;
  }
}

export interface StepOutcome {
  readonly outcome: string;
  readonly ok: boolean;
}
