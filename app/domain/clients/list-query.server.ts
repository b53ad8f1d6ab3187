/**
 * The clients list's filters as they arrive in a URL (the page) or a form (its CSV export): one
 * reading for both, so the export holds exactly the rows the list shows. Anything malformed is
 * dropped (the list shows unfiltered), never an error.
 */
import { z } from "zod";
import { choice, id, searchText } from "~/domain/shared/fields";
import { CLIENT_SORTS, type ClientListFilter } from "./clients.server";
import { CLIENT_STATUSES, RISK_LEVELS } from "#db/schema";

const ListQuery = z.object({
  q: searchText(100),
  district: id.optional().catch(undefined),
  status: choice(CLIENT_STATUSES).optional().catch(undefined),
  risk: choice(RISK_LEVELS).optional().catch(undefined),
  overdue: z
    .string()
    .optional()
    .transform((v) => v === "1" || v === "on"),
  worker: id.optional().catch(undefined),
  workerName: searchText(40),
  sort: choice(CLIENT_SORTS).optional().catch(undefined),
  dir: choice(["asc", "desc"] as const).optional().catch(undefined),
});

export type ClientListQuery = z.infer<typeof ListQuery>;

const NAMES = ["q", "district", "status", "risk", "overdue", "worker", "workerName", "sort", "dir"] as const;

/** The list's filters from a lookup of raw values (URL search params or form fields). */
export function readClientListQuery(get: (name: string) => string | null | undefined): ClientListQuery {
  return ListQuery.parse(Object.fromEntries(NAMES.map((n) => [n, get(n) || undefined])));
}

/** The domain filter for listClients. */
export function clientListFilter(q: ClientListQuery): ClientListFilter {
  return {
    q: q.q || undefined,
    districtId: q.district,
    status: q.status,
    risk: q.risk,
    overdue: q.overdue,
    workerPersonId: q.worker,
    workerName: q.workerName || undefined,
    sort: q.sort,
    dir: q.dir,
  };
}
