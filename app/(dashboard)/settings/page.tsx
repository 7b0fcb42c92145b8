import { redirect } from "next/navigation";

/** `/settings` itself has nothing of its own: the first tab is Docker hosts. */
export default function SettingsPage() {
  redirect("/settings/hosts");
}
