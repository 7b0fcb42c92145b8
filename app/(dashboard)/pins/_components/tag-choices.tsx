"use client";

import { use } from "react";

import { cn } from "@/components/ui/cn";
import type { Loaded } from "@/lib/status/load-section";

// Registries list tags alphabetically; the newest are usually the last ones.
const SHOWN = 12;

/** Clickable tags of the template's repository; picking one fills the promote input. */
export function TagChoices({
  tags,
  selected,
  onPick,
}: {
  tags: Promise<Loaded<string[]>>;
  selected: string;
  onPick: (tag: string) => void;
}) {
  const result = use(tags);
  if (!result.ok) {
    return (
      <p className="text-xs text-amber-700">
        Tags unavailable: {result.message}. You can still paste a digest or type a tag.
      </p>
    );
  }
  if (result.data.length === 0)
    return <p className="text-xs text-slate-500">The registry has no tags for this template yet.</p>;
  const shown = result.data.slice(-SHOWN).reverse();
  return (
    <div>
      <p className="mb-1 text-xs font-medium text-slate-700">
        Pick a tag{" "}
        {result.data.length > SHOWN && (
          <span className="font-normal text-slate-500">
            ({SHOWN} of {result.data.length})
          </span>
        )}
      </p>
      <ul className="flex flex-wrap gap-1.5" aria-label="Tags in the registry">
        {shown.map((tag) => (
          <li key={tag}>
            <button
              type="button"
              onClick={() => onPick(tag)}
              aria-pressed={selected === tag}
              className={cn(
                "rounded border px-1.5 py-0.5 font-mono text-xs",
                selected === tag
                  ? "border-sky-600 bg-sky-50 text-sky-800"
                  : "border-slate-300 bg-white text-slate-700 hover:bg-slate-50",
              )}
            >
              {tag}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
