/**
 * The columns every client worklist row starts with (alias, case number, district in both
 * languages) and the list's total carried on each row, for worklists paged in one SQL pass
 * (recognition worklist, upcoming milestones). Join `districts` on the client's district.
 */
import { sql } from "drizzle-orm";
import { clients, districts } from "#db/schema";

export const worklistClientColumns = {
  clientId: clients.id,
  alias: clients.alias,
  caseNumber: clients.caseNumber,
  districtZh: districts.nameZh,
  districtEn: districts.nameEn,
  // the total of the whole list, counted over the rows the page is cut from (shared/paging windowTotal)
  total: sql<number>`count(*) over ()`,
};
