/** A member's role; writers are highlighted, VIEWER reads only. */
export function RoleBadge({ role }: { role: string }) {
  return (
    <span className={role === "VIEWER" ? "badge" : "badge badge-accent"} title={`Your role: ${role}`}>
      {role}
    </span>
  );
}
