import { Banner } from "@/components/ui/banner";

import { failureTitle } from "./service-titles";

/**
 * Stands in for a section whose data could not be loaded: names what is
 * missing and why, while the rest of the page renders normally.
 */
export function SectionError({ what, failure }: { what: string; failure: { message: string; code: string } }) {
  return (
    <Banner
      tone="error"
      title={`${failureTitle(failure.code)} — ${what} cannot be shown right now`}
      testId="section-error"
    >
      {failure.message}
    </Banner>
  );
}
