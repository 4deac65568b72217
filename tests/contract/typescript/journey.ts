// A partner's journey written against the types openapi-typescript generates from the served
// document (generated/schema.d.ts). `tsc --noEmit` proves every call, body and answer is typed:
// a body typed `never` or a missing operation fails the check.
import createClient from "openapi-fetch";
import type { paths } from "../generated/schema";

export async function journey(baseUrl: string, password: string): Promise<string> {
  const anonymous = createClient<paths>({ baseUrl });
  const login = await anonymous.POST("/api/v1/auth/login", {
    body: { committee: "002", username: "doitac", password },
  });
  if (!login.data) throw new Error(login.error?.message ?? "login refused");
  const api = createClient<paths>({
    baseUrl,
    headers: { Authorization: `Bearer ${login.data.token}` },
  });
  const communes = await api.GET("/api/v1/committees", { params: { query: { q: "phuong", limit: 5 } } });
  const firstCode: string | undefined = communes.data?.items[0]?.code;
  const caseIds: number[] = [];
  for (let offset = 0; ; ) {
    const cases = await api.GET("/api/v1/cases", { params: { query: { limit: 10, offset } } });
    const page = cases.data;
    if (!page || page.items.length === 0) break;
    caseIds.push(...page.items.map((c) => c.id));
    offset = page.offset + page.items.length;
    if (offset >= page.total) break;
  }
  const catalogue = await api.GET("/api/v1/indicators");
  const codes: string[] = (catalogue.data?.items ?? []).map((i) => i.code);
  const forms = await api.GET("/api/v1/channels/{channel}/forms", {
    params: { path: { channel: "workplace" } },
  });
  const fields: string[] = (forms.data?.items ?? []).flatMap((f) => f.fields.map((x) => x.name));
  const sent = await api.POST("/api/v1/intake/{channel}/{form}", {
    params: { path: { channel: "workplace", form: "report" }, header: { "Idempotency-Key": "partner-0001" } },
    body: { cadre: "DT0001", indicator: "DD7", union: "Công đoàn quận", content: "Báo cáo" },
  });
  const caseId: number | null | undefined = sent.data?.routes?.[0]?.case_id;
  if (caseId) {
    const shown = await api.GET("/api/v1/cases/{case_id}", { params: { path: { case_id: caseId } } });
    const access: "full" | "subtree" | "status" | undefined = shown.data?.access;
    void access;
  }
  const sheet = await api.GET("/api/v1/reports/{period}/export.xlsx", {
    params: { path: { period: "2026" } },
    parseAs: "blob",
  });
  const size: number = sheet.data?.size ?? 0;
  const refused: string | undefined = sent.error?.message;
  return [firstCode, caseIds.length, codes.length, fields.length, size, refused].join(" ");
}
