// A partner's referral flow against the client generated from openapi/openapi.json
// (openapi-typescript + openapi-fetch). It is never run: it has to compile under --strict.
import createClient from "openapi-fetch";
import type { components, paths } from "./schema";

type Problem = components["schemas"]["Problem"];
type ReferralPublic = components["schemas"]["ReferralPublic"];

const api = createClient<paths>({ baseUrl: "https://plased.example.org" });

/** Every error is a Problem: clients branch on its stable `code`. */
function describe(problem: Problem): string {
  const code: string = problem.code;
  const status: number = problem.status;
  const fields = (problem.errors ?? []).map((e) => `${e.pointer}: ${e.code} ${e.message}`);
  return `${status} ${code} ${fields.join(", ")}`;
}

/** The OAuth2 password form. */
export async function signIn(username: string, password: string): Promise<string> {
  const { data, error } = await api.POST("/api/v1/auth/token", {
    body: { username, password },
    bodySerializer: (body) => new URLSearchParams({ ...body, grant_type: "password" }),
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });
  if (error) {
    throw new Error(describe(error));
  }
  // A field with a server default is always in the answer: required, not optional.
  const tokenType: string = data.token_type;
  const expiresIn: number = data.expires_in;
  return `${tokenType} ${expiresIn} ${data.refresh_token} ${data.access_token}`;
}

/** Create a referral (retry-safe with an Idempotency-Key), then read it back. */
export async function refer(token: string, serviceId: string): Promise<ReferralPublic> {
  const auth = { Authorization: `Bearer ${token}` };
  const created = await api.POST("/api/v1/referrals", {
    headers: { ...auth, "Idempotency-Key": crypto.randomUUID() },
    body: {
      service_id: serviceId,
      urgency: "urgent",
      client: { full_name: "Sok Dara", gender: "female", vulnerabilities: ["indigenous"] },
      // follow_up_contact and reporting have defaults: a request may leave them out.
      consent: { given_by: "self", given_on: "2026-11-23", share_with_provider: true },
    },
  });
  if (created.error) {
    if (created.error.code === "validation_failed") {
      throw new Error(describe(created.error));
    }
    throw new Error(created.error.code);
  }
  const location: string | null = created.response.headers.get("Location");
  const read = await api.GET("/api/v1/referrals/{referral_id}", {
    params: { path: { referral_id: created.data.id } },
    headers: auth,
  });
  if (read.error) {
    throw new Error(`${location}: ${describe(read.error)}`);
  }
  const version: number = read.data.version;
  const status: components["schemas"]["ReferralStatus"] = read.data.status;
  const warnings: components["schemas"]["Warning"][] = read.data.warnings;
  const client: string | undefined = read.data.client?.full_name;
  console.log(version, status, warnings.length, client);
  return read.data;
}

/** One page of the caller's sent drafts. */
export async function drafts(token: string): Promise<number> {
  const { data, error } = await api.GET("/api/v1/referrals", {
    params: { query: { status: "draft", direction: "sent", limit: 20, sort: "-created_at" } },
    headers: { Authorization: `Bearer ${token}` },
  });
  if (error) {
    throw new Error(describe(error));
  }
  const items: ReferralPublic[] = data.items;
  const total: number = data.total;
  for (const referral of items) {
    const urgency: components["schemas"]["Urgency"] = referral.urgency;
    const visible: boolean = referral.client_visible;
    console.log(referral.id, urgency, visible);
  }
  return total;
}

// The types are real, not `any`: each of these must be refused.
export async function refused(token: string): Promise<void> {
  const headers = { Authorization: `Bearer ${token}` };
  // @ts-expect-error no such path
  await api.GET("/api/v1/no-such-path", { headers });
  // @ts-expect-error a referral needs a client
  await api.POST("/api/v1/referrals", { headers, body: { service_id: "x" } });
  const { data, error } = await api.GET("/api/v1/referrals", { headers });
  // @ts-expect-error total is a number
  const total: string | undefined = data?.total;
  // @ts-expect-error code is a string
  const code: number | undefined = error?.code;
  console.log(total, code);
}
