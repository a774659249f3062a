import { searchPath } from "./queries.ts";

export interface SearchAnswer {
  ids: number[];
  nextCursor: string | null;
}

/** Reduces a page of search results to what must match between contenders. */
export function answerOf(page: unknown): SearchAnswer {
  if (typeof page !== "object" || page === null || !("items" in page) || !Array.isArray(page.items)) {
    throw new Error(`not a page of jobs: ${JSON.stringify(page).slice(0, 200)}`);
  }
  const ids = page.items.map((item: unknown) =>
    typeof item === "object" && item !== null && "id" in item ? Number(item.id) : Number.NaN,
  );
  const nextCursor = "nextCursor" in page && typeof page.nextCursor === "string" ? page.nextCursor : null;
  return { ids, nextCursor };
}

export async function fetchAnswer(
  baseUrl: string,
  query: Readonly<Record<string, string>>,
): Promise<SearchAnswer> {
  const response = await fetch(new URL(searchPath(query), baseUrl));
  if (response.status !== 200) {
    throw new Error(`${baseUrl}${searchPath(query)} answered ${response.status}: ${await response.text()}`);
  }
  return answerOf(await response.json());
}

/** Names each query on which a contender's answer differs from the reference's; empty when all agree. */
export function differences(
  queries: readonly Readonly<Record<string, string>>[],
  reference: readonly SearchAnswer[],
  other: readonly SearchAnswer[],
  otherName: string,
): string[] {
  return queries.flatMap((query, index) =>
    JSON.stringify(reference[index]) === JSON.stringify(other[index])
      ? []
      : [`${otherName} answers ${searchPath(query)} differently`],
  );
}
