/** Filters of `GET /events`, as the Engine API takes them: name → accepted values. */
export type DockerEventFilters = Readonly<Record<string, readonly string[]>>;

/** One event from `GET /events` (the fields Fleetpin reads). */
export interface DockerEvent {
  /** `container`, `image`, `network`, … */
  type: string;
  /** `start`, `die`, `destroy`, `health_status: unhealthy`, … */
  action: string;
  /** The object's ID (container ID for container events). */
  id: string;
  /** Actor attributes: the container's name, image and labels, exitCode for `die`, … */
  attributes: Readonly<Record<string, string>>;
  /** Unix time in nanoseconds. */
  timeNano: number;
}
