import { Badge } from "@/components/ui/badge";
import { SubmitButton } from "@/components/ui/submit-button";

/** Who is signed in (email, role) and the sign-out button, for the dashboard header. */
export function UserMenu({
  user,
  signOutAction,
}: {
  user: { email: string; role: "viewer" | "operator" };
  signOutAction: () => Promise<void>;
}) {
  return (
    <div className="ml-auto flex items-center gap-3" data-testid="user-menu">
      <span
        className="max-w-56 truncate text-sm text-slate-600"
        title={`Signed in as ${user.email}`}
        data-testid="user-email"
      >
        {user.email}
      </span>
      <Badge
        tone={user.role === "operator" ? "info" : "muted"}
        testId="user-role"
        title={user.role === "operator" ? "Can promote, roll back, unpin and reprovision" : "Read only"}
      >
        {user.role}
      </Badge>
      <form action={signOutAction}>
        <SubmitButton variant="secondary" size="sm" pendingLabel="Signing out…">
          Sign out
        </SubmitButton>
      </form>
    </div>
  );
}
