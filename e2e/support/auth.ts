import { expect, type Page } from "@playwright/test";

import { e2eEnv, type Role } from "./env";

/** Signs in through the real login form and waits for the dashboard. */
export async function signIn(page: Page, role: Role): Promise<void> {
  const { email, password } = e2eEnv.account(role);
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: /sign in/i }).click();
  await expect(page).not.toHaveURL(/\/login/);
}
