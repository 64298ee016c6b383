/**
 * An offboarding held mid-run: the sandbox delays the next sign-in revoke, so a test can act (stop
 * storage, send the redelivery to another instance) while the run waits on it with the account
 * already disabled.
 */
const REVOKE_PATH = "/v1.0/users/*/revokeSignInSessions";

/** The sandbox answers the next revoke only after `latencyMs`. */
export async function holdNextRevoke(sandboxUrl: string, latencyMs: number): Promise<void> {
  const answer = await fetch(`${sandboxUrl}/_sandbox/faults`, {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ kind: "latency", method: "POST", path: REVOKE_PATH, latencyMs, times: 1 }),
  });
  if (!answer.ok) throw new Error(`the sandbox refused the latency rule: ${answer.status}`);
}

/** Resolves once the run's revoke reached the sandbox and is being held. */
export async function revokeHeld(sandboxUrl: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const rules = (await (await fetch(`${sandboxUrl}/_sandbox/faults`)).json()) as { value: Array<{ kind: string; path?: string; applied: number }> };
    if (rules.value.some((rule) => rule.kind === "latency" && rule.path === REVOKE_PATH && rule.applied === 1)) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("the run never sent its revoke");
}
