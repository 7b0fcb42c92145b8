/**
 * Environment variables as Fleetpin reads them: `process.env` or any plain object. Wider than
 * `NodeJS.ProcessEnv`, which Next's typings make require NODE_ENV, so tests can pass `{}`.
 * The one env type of the code base; everything else takes a parsed slice of `Config`.
 */
export type Env = Readonly<Record<string, string | undefined>>;
