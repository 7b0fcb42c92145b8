/** The host name of DOCKER_HOST (and of every workspace recorded before hosts existed). No I/O. */
export const LOCAL_HOST = "local";
