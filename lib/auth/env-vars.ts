/** Environment variables as auth code reads them (process.env fits; tests pass plain objects). */
export type EnvVars = Readonly<Record<string, string | undefined>>;
