/** The host name of this machine in every event (commands run locally, the local build), executor and error. */
export const LOCAL = "local";
