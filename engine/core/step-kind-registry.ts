/**
 * The step kinds one engine knows, as an instance: the composition root builds it from the kind
 * factories and the clients they receive; a test builds its own with fakes.
 */
import { IntentError } from "./errors";
import type { StepKind, StepKindSpec } from "./step-kind";

export class StepKindRegistry<Kind extends StepKindSpec = StepKind> {
  private readonly kinds = new Map<string, Kind>();

  constructor(kinds: Iterable<Kind> = []) {
    for (const kind of kinds) this.register(kind);
  }

  register(kind: Kind): this {
    if (this.kinds.has(kind.id)) throw new IntentError("INTERNAL", `Step kind ${kind.id} is registered twice.`);
    this.kinds.set(kind.id, kind);
    return this;
  }

  find(id: string): Kind | undefined {
    return this.kinds.get(id);
  }

  ids(): string[] {
    return [...this.kinds.keys()].sort();
  }

  list(): Kind[] {
    return [...this.kinds.values()];
  }
}

/** What the intent language needs of a registry: specs by id, and the ids for its messages. */
export type KindSpecs = Pick<StepKindRegistry<StepKindSpec>, "find" | "ids">;
