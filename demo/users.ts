// The demo customer's user accounts. In a real site these come from its own database.
export interface DemoUser {
  id: string;
  name: string;
  email: string;
  plan: "pro" | "free";
}

export const DEMO_USERS: Record<string, DemoUser> = {
  ada: { id: "u_ada", name: "Ada Lovelace", email: "ada@example.com", plan: "pro" },
  bob: { id: "u_bob", name: "Bob Builder", email: "bob@example.com", plan: "free" },
};

export const PROOF_KINDS = ["hash", "payload", "token", "jwt"] as const;
export type ProofKind = (typeof PROOF_KINDS)[number];
