-- The git commit an image was built from, as CI reports it when it promotes (issue #15):
-- kept with the pin and with each history entry (the sha of the digest it moved to), so a
-- rollback restores the sha of the digest it puts back. NULL when nobody said.
ALTER TABLE "runtime_image_pins" ADD COLUMN "git_sha" TEXT;
ALTER TABLE "runtime_image_pin_history" ADD COLUMN "git_sha" TEXT;
