/** The git commit an image was built from (as CI said when it promoted), short, the full sha on hover. */
export function GitSha({ sha }: { sha: string }) {
  return (
    <div className="font-mono text-xs text-slate-500" title={sha} data-testid="git-sha">
      git {sha.slice(0, 12)}
    </div>
  );
}
