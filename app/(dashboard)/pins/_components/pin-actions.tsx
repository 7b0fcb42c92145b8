"use client";

import Link from "next/link";
import { useState } from "react";

import { Dialog } from "@/components/ui/dialog";
import { DigestText } from "@/components/ui/digest-text";
import type { PinChange } from "@/lib/db/pins";
import { shortDigest } from "@/lib/domain/image-ref";
import type { Loaded } from "@/lib/status/load-section";

import { PinChangeForm } from "./pin-change-form";
import { PromoteForm } from "./promote-form";

/** A pin change; a promote with rings enabled names the rollout it started instead of moving the pin. */
type PinChangeOutcome = PinChange & { rolloutId?: string };

function describe(change: PinChangeOutcome): string {
  if (change.rolloutId)
    return `Rollout of ${shortDigest(change.toDigest ?? "")} started; the pin moves when its last ring starts.`;
  if (change.action === "unpin") return `Unpinned; ${change.templateName} follows :latest.`;
  const verb = change.action === "rollback" ? "Rolled back to" : "Promoted";
  return `${verb} ${shortDigest(change.toDigest ?? "")}`;
}

/** Promote / Roll back / Unpin for one template row, plus the outcome of the last change. */
export function PinActions({
  templateName,
  repository,
  currentDigest,
  rollbackTarget,
  tags,
}: {
  templateName: string;
  repository: string;
  currentDigest: string | null;
  rollbackTarget: string | null;
  tags: Promise<Loaded<string[]>>;
}) {
  const [notice, setNotice] = useState<{ text: string; rolloutId?: string }>({ text: "" });
  const done = (close: () => void) => (change: PinChangeOutcome) => {
    close();
    setNotice({ text: describe(change), ...(change.rolloutId ? { rolloutId: change.rolloutId } : {}) });
  };

  return (
    <div className="flex flex-col items-end gap-1">
      <div className="flex gap-1.5">
        <Dialog
          trigger={{
            label: "Promote",
            variant: "secondary",
            testId: `promote-${templateName}`,
            ariaLabel: `Promote ${templateName}`,
          }}
          title={`Promote ${templateName}`}
          description={
            <>
              <span className="font-mono text-xs">{repository || templateName}</span> · replaces{" "}
              {currentDigest ? <DigestText digest={currentDigest} /> : "nothing (follows :latest)"}
            </>
          }
        >
          {(close) => (
            <PromoteForm templateName={templateName} currentDigest={currentDigest} tags={tags} onDone={done(close)} />
          )}
        </Dialog>
        {currentDigest && rollbackTarget && (
          <Dialog
            trigger={{ label: "Roll back", testId: `rollback-${templateName}`, ariaLabel: `Roll back ${templateName}` }}
            title={`Roll back ${templateName}`}
            description={
              <>
                From <DigestText digest={currentDigest} /> back to <DigestText digest={rollbackTarget} />
              </>
            }
          >
            {(close) => (
              <PinChangeForm
                kind="rollback"
                templateName={templateName}
                currentDigest={currentDigest}
                onDone={done(close)}
              />
            )}
          </Dialog>
        )}
        {currentDigest && (
          <Dialog
            trigger={{
              label: "Unpin",
              variant: "ghost",
              testId: `unpin-${templateName}`,
              ariaLabel: `Unpin ${templateName}`,
            }}
            title={`Unpin ${templateName}`}
            description={
              <>
                Removes the pin <DigestText digest={currentDigest} />. New and reprovisioned workspaces follow :latest
                again; running containers are not touched.
              </>
            }
          >
            {(close) => (
              <PinChangeForm
                kind="unpin"
                templateName={templateName}
                currentDigest={currentDigest}
                onDone={done(close)}
              />
            )}
          </Dialog>
        )}
      </div>
      <p role="status" className="text-xs text-emerald-700" data-testid={`pin-notice-${templateName}`}>
        {notice.text}
        {notice.rolloutId && (
          <>
            {" "}
            <Link
              href={`/rollouts/${notice.rolloutId}`}
              className="text-sky-700 underline"
              data-testid={`rollout-link-${templateName}`}
            >
              Follow the rollout
            </Link>
          </>
        )}
      </p>
    </div>
  );
}
