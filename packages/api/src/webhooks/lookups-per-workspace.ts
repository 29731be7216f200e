/**
 * Webhook address checks under way on this instance, counted per workspace and bounded: a workspace that
 * registers names whose DNS servers never answer holds its own slots until they time out, and no one else's.
 */
export class LookupsPerWorkspace {
  private readonly running = new Map<string, number>();

  constructor(readonly limit: number) {}

  /** Takes a slot of the workspace and returns its release, or null when all its slots are taken. */
  tryStart(workspaceId: string): (() => void) | null {
    const running = this.running.get(workspaceId) ?? 0;
    if (running >= this.limit) return null;
    this.running.set(workspaceId, running + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = this.running.get(workspaceId)! - 1;
      if (left === 0) this.running.delete(workspaceId);
      else this.running.set(workspaceId, left);
    };
  }
}
