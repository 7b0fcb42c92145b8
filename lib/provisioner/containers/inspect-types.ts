// The Engine API's inspect JSON and create request as the clone reads and writes them; only the keys
// the rules read are typed, the rest is carried as it is.

/** A JSON object as the Engine API returns it. */
export type Json = Record<string, unknown>;

/** `Config` of a container or image inspect; only the keys the rules read are typed. */
export interface InspectConfig extends Json {
  Hostname?: string;
  Domainname?: string;
  User?: string;
  Env?: string[] | null;
  Cmd?: string[] | null;
  Entrypoint?: string[] | string | null;
  WorkingDir?: string;
  Labels?: Record<string, string> | null;
  Healthcheck?: Json | null;
  ExposedPorts?: Record<string, Json> | null;
  Volumes?: Record<string, Json> | null;
  Image?: string;
}

/** A network endpoint in `NetworkSettings.Networks`. */
export interface InspectEndpoint extends Json {
  Aliases?: string[] | null;
  Links?: string[] | null;
  IPAMConfig?: Json | null;
  DriverOpts?: Record<string, string> | null;
}

/** A mount in the inspect's top-level `Mounts` (what the container really has mounted). */
export interface InspectMount {
  Type: string;
  Name?: string;
  Source?: string;
  Destination: string;
  RW?: boolean;
}

/** Raw `docker container inspect` JSON (one element of the array). */
export interface ContainerInspect {
  Id: string;
  Name: string;
  Image?: string;
  Config: InspectConfig;
  HostConfig: Json & {
    NetworkMode?: string;
    Binds?: string[] | null;
    Mounts?: Json[] | null;
    Tmpfs?: Record<string, string> | null;
    Links?: string[] | null;
  };
  NetworkSettings?: { Networks?: Record<string, InspectEndpoint> | null } | null;
  Mounts?: InspectMount[] | null;
}

/** Raw `docker image inspect` JSON; `Config` holds the image's defaults. */
export interface ImageInspect {
  Id: string;
  Config?: InspectConfig | null;
}

/** One network to connect after create (API < 1.44 takes one network in the create call). */
export interface ExtraNetwork {
  name: string;
  endpoint: InspectEndpoint;
}

/** Everything the daemon needs to create the container: name, platform, body, then extra networks. */
export interface ContainerCreateRequest {
  name: string;
  /** `os/arch`, or undefined to let the daemon choose. */
  platform?: string;
  /** The `POST /containers/create` body: Config keys at the top, plus HostConfig and NetworkingConfig. */
  body: Json & { Image: string; HostConfig: Json; Labels?: Record<string, string>; Env?: string[] };
  extraNetworks: ExtraNetwork[];
}
