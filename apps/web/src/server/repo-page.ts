import type { Metadata } from "next";
import { currentActor } from "./session";
import { repoOf } from "./workspaces";

/** A repository page's title names the repository, so tabs and history tell repositories apart. */
export async function repoPageMetadata(repoId: string, view: string): Promise<Metadata> {
  const actor = await currentActor();
  const found = actor ? await repoOf(actor, repoId) : null;
  return { title: found ? `${view} · ${found.repo.name}` : "Not found" };
}
