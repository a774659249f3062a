import { searchPath, searchQueries } from "./queries.ts";
import { openDirectSearch } from "./search-adapter.ts";

export type SearchQuery = Readonly<Record<string, string>>;

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

export async function fetchAnswer(baseUrl: string, query: SearchQuery): Promise<SearchAnswer> {
  const response = await fetch(new URL(searchPath(query), baseUrl));
  if (response.status !== 200) {
    throw new Error(`${baseUrl}${searchPath(query)} answered ${response.status}: ${await response.text()}`);
  }
  return answerOf(await response.json());
}

/** Names each query on which a contender's answer differs from the reference's; empty when all agree. */
export function differences(
  queries: readonly SearchQuery[],
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

/**
 * A ratio between contenders means something only if they do the same work: every benchmark search, and the
 * second page of each through its cursor, must return the same postings from the API's search function and
 * from every server. Returns the number of postings compared; throws naming each difference.
 */
export async function checkSameAnswers(
  databaseUrl: string,
  servers: readonly { name: string; baseUrl: string }[],
  queries: readonly SearchQuery[] = searchQueries,
): Promise<number> {
  const direct = openDirectSearch(databaseUrl, 1);
  const reference = async (query: SearchQuery): Promise<SearchAnswer> => {
    const page = await direct.search(query);
    return { ids: page.items.map((item) => item.id), nextCursor: page.nextCursor };
  };
  try {
    const firstPages = await Promise.all(queries.map(reference));
    const secondPageQueries = queries.flatMap((query, index) => {
      const cursor = firstPages[index]?.nextCursor;
      return cursor ? [{ ...query, cursor }] : [];
    });
    const allQueries = [...queries, ...secondPageQueries];
    const expected = [...firstPages, ...(await Promise.all(secondPageQueries.map(reference)))];
    const problems: string[] = [];
    for (const server of servers) {
      const answers = await Promise.all(allQueries.map((query) => fetchAnswer(server.baseUrl, query)));
      problems.push(...differences(allQueries, expected, answers, server.name));
    }
    if (firstPages.every((answer) => answer.ids.length === 0))
      problems.push("every benchmark search came back empty");
    if (problems.length > 0)
      throw new Error(`the contenders do not do the same work:\n${problems.join("\n")}`);
    return expected.reduce((sum, answer) => sum + answer.ids.length, 0);
  } finally {
    await direct.close();
  }
}
