// Small readers for context.ts: each turns one raw input into a typed value or adds a Problem naming the input.
import type { Problem } from "../report/problem.ts";
import type { RawInputs } from "./definition.ts";

export function stringInput(inputs: RawInputs, name: string): string | undefined {
  const value = inputs[name];
  if (value === undefined) return undefined;
  const text = (typeof value === "string" ? value : value.join("\n")).trim();
  return text === "" ? undefined : text;
}

/** A multiline input (or a CLI flag given several times): trimmed lines, empty ones dropped. */
export function listInput(inputs: RawInputs, name: string): string[] {
  const value = inputs[name];
  if (value === undefined) return [];
  const lines = typeof value === "string" ? value.split("\n") : value.flatMap((item) => item.split("\n"));
  return lines.map((line) => line.trim()).filter((line) => line !== "");
}

export function requiredInput(inputs: RawInputs, name: string, problems: Problem[]): string | undefined {
  const value = stringInput(inputs, name);
  if (value === undefined) problems.push({ file: `input ${name}`, message: "is required" });
  return value;
}

/** YAML 1.2 core schema booleans, as @actions/core's getBooleanInput accepts them. */
export function booleanInput(
  inputs: RawInputs,
  name: string,
  fallback: boolean,
  problems: Problem[],
): boolean {
  const value = stringInput(inputs, name);
  if (value === undefined) return fallback;
  if (["true", "True", "TRUE"].includes(value)) return true;
  if (["false", "False", "FALSE"].includes(value)) return false;
  problems.push({ file: `input ${name}`, message: `"${value}" is not a boolean`, hint: "use true or false" });
  return fallback;
}

export interface NumberRange {
  readonly min?: number;
  readonly max?: number;
  readonly integer?: boolean;
}

export function numberInput(
  inputs: RawInputs,
  name: string,
  fallback: number,
  range: NumberRange,
  problems: Problem[],
): number {
  const value = stringInput(inputs, name);
  if (value === undefined) return fallback;
  const number = Number(value);
  const wanted = range.integer === true ? "an integer" : "a number";
  if (!Number.isFinite(number) || (range.integer === true && !Number.isInteger(number))) {
    problems.push({ file: `input ${name}`, message: `"${value}" is not ${wanted}` });
    return fallback;
  }
  if ((range.min !== undefined && number < range.min) || (range.max !== undefined && number > range.max)) {
    const bounds = [
      range.min === undefined ? "" : `>= ${range.min}`,
      range.max === undefined ? "" : `<= ${range.max}`,
    ]
      .filter((bound) => bound !== "")
      .join(" and ");
    problems.push({
      file: `input ${name}`,
      message: `${value} is out of range`,
      hint: `must be ${wanted} ${bounds}`,
    });
    return fallback;
  }
  return number;
}

const durationUnits: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** `90s`, `10m`, `1h30m`, `500ms` -> milliseconds (Go's time.ParseDuration units, as kubectl's --timeout takes). */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(trimmed)) return undefined;
  let total = 0;
  for (const [, amount, , unit] of trimmed.matchAll(/(\d+(\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(amount) * (durationUnits[unit ?? ""] ?? Number.NaN);
  }
  return Number.isFinite(total) ? Math.round(total) : undefined;
}

export function durationInput(
  inputs: RawInputs,
  name: string,
  fallbackMs: number,
  problems: Problem[],
): number {
  const value = stringInput(inputs, name);
  if (value === undefined) return fallbackMs;
  const ms = parseDuration(value);
  if (ms === undefined) {
    problems.push({
      file: `input ${name}`,
      message: `"${value}" is not a duration`,
      hint: "use a number with a unit: 500ms, 90s, 10m, 1h",
    });
    return fallbackMs;
  }
  return ms;
}
