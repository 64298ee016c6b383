/** Azurite for tests: in memory, on free ports, one per test file; close it in afterAll. */
import { startAzurite, type RunningAzurite } from "../../engine/hosts/local/azurite";

export type { RunningAzurite };

export function startTestAzurite(): Promise<RunningAzurite> {
  return startAzurite();
}
