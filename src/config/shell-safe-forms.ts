// The forms of the values that reach a shell unquoted (issue 16): what Docker and the hosts accept anyway, so a
// value of its form leaves a shell nothing to act on. Each names itself and says how to write one, for the message.
export type Form = { readonly pattern: RegExp; readonly what: string; readonly fix: string };

export const HOST: Form = {
  pattern: /^[A-Za-z0-9_.:@%[\]-]+$/,
  what: "a host name or address",
  fix: "write a host name or address, e.g. `web-1.example.com`, `10.0.0.1` or `[2001:db8::1]` (letters, digits, `.`, `-`, `_`, `:`, `@`, `[ ]`)",
};
export const ROLE: Form = {
  pattern: /^[A-Za-z0-9_.-]+$/,
  what: "a role name",
  fix: "name the role with letters, digits, `_`, `-` and `.`, e.g. `web` or `workers`",
};
export const ENV_KEY: Form = {
  pattern: /^[A-Za-z0-9_.-]+$/,
  what: "an environment variable name",
  fix: "name the variable with letters, digits, `_`, `.` and `-`, e.g. `DATABASE_URL`",
};
export const LABEL_KEY: Form = {
  pattern: /^[A-Za-z0-9_./:-]+$/,
  what: "a label key",
  fix: "write a label key with letters, digits, `.`, `-`, `_`, `/` and `:`, e.g. `com.example.team`",
};
export const OPTION_KEY: Form = {
  pattern: /^[A-Za-z0-9][A-Za-z0-9_-]*$/,
  what: "a docker option name",
  fix: "write the option's name without dashes, e.g. `memory`, `cap-add` or `max-size`",
};
export const IMAGE: Form = {
  pattern: /^[A-Za-z0-9_./:@-]+$/,
  what: "an image reference",
  fix: "write an image reference, e.g. `acme/app`, `mysql:8.0` or `ghcr.io/acme/app` (letters, digits, `.`, `-`, `_`, `/`, `:`, `@`)",
};
export const REGISTRY: Form = {
  pattern: /^[A-Za-z0-9_.:[\]/-]+$/,
  what: "a registry server",
  fix: "write the registry's host and optional port, e.g. `ghcr.io` or `localhost:5555`",
};
export const NAME: Form = {
  pattern: /^[A-Za-z0-9_.-]+$/,
  what: "a container or network name",
  fix: "use letters, digits, `_`, `-` and `.`, e.g. `app-db`",
};
// Real configs publish a second address through the unquoted value (`127.0.0.1:5432:5432 --publish [::1]:5432:5432`),
// which Kamal passes on as two options: that stays possible, with nothing else after a spec.
export const PORT: Form = {
  pattern: /^[A-Za-z0-9.:[\]/-]+(?: (?:--publish|-p) [A-Za-z0-9.:[\]/-]+)*$/,
  what: "a port spec",
  fix: "write `PORT` or `[IP:]HOST_PORT:CONTAINER_PORT[/udp]`, e.g. `6379` or `127.0.0.1:3306:3306` (more addresses: `127.0.0.1:5432:5432 --publish [::1]:5432:5432`)",
};
export const VERSION_TAG: Form = {
  pattern: /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/,
  what: "a version tag",
  fix: "write an image tag: letters, digits, `_`, `.` and `-`, e.g. `v0.9.2`",
};
export const MODE: Form = {
  pattern: /^(?:[0-7]{3,4}|[ugoa]*[-+=][rwxXst]*(?:,[ugoa]*[-+=][rwxXst]*)*)$/,
  what: "a file mode",
  fix: "write an octal or symbolic chmod mode, quoted, e.g. \"0600\" or \"u+rw\"",
};
export const OWNER: Form = {
  pattern: /^[A-Za-z0-9_.-]+(?::[A-Za-z0-9_.-]+)?$/,
  what: "a file owner",
  fix: "write `user` or `user:group`, e.g. `mysql:mysql`",
};
export const STAGE: Form = {
  pattern: /^[A-Za-z0-9_.-]+$/,
  what: "a build stage name",
  fix: "write the name of a `FROM ... AS name` stage: letters, digits, `_`, `-` and `.`",
};
export const DOCKER_HOST: Form = {
  pattern: /^[A-Za-z0-9_.:@/[\]-]+$/,
  what: "a Docker host address",
  fix: "write `ssh://user@host` or `tcp://host:port`",
};
export const SETTING_LIST: Form = {
  pattern: /^[A-Za-z0-9_.:/=,@-]+$/,
  what: "a list of `key=value` settings",
  fix: "write comma-separated `key=value` pairs of letters, digits and `.`, `-`, `_`, `/`, `:`, e.g. `mode=max`",
};
// `docker-container`, `docker`, or Docker Build Cloud's `cloud ORG/BUILDER`: the one space is the one Kamal splits on.
export const BUILDX_DRIVER: Form = {
  pattern: /^(?:[a-z][a-z0-9-]*|cloud [A-Za-z0-9][A-Za-z0-9_.-]*\/[A-Za-z0-9][A-Za-z0-9_.-]*)$/,
  what: "a buildx driver",
  fix: "write a buildx driver name, e.g. `docker-container` or `docker`, or `cloud ORG/BUILDER` for Docker Build Cloud",
};
// Names as `pack --buildpack` takes them: `heroku/ruby`, `heroku/nodejs@3.1.0`, `urn:cnb:builder:heroku/go`,
// `docker://gcr.io/paketo-buildpacks/node`, or a path.
export const BUILDPACK: Form = {
  pattern: /^[A-Za-z0-9_.~/][A-Za-z0-9_.:/@+~-]*$/,
  what: "a buildpack reference",
  fix: "write a buildpack's id, image or path, e.g. `heroku/ruby`, `paketo-buildpacks/nodejs@1.2.3` or `docker://gcr.io/paketo-buildpacks/node`",
};
// Paths may hold almost anything a file name can; only what a shell acts on, quotes and blanks are refused.
export const PATH: Form = {
  pattern: /^(?:[^\s;|&`<>'"\\$]|\$(?!\())+$/,
  what: "a path",
  fix: "write a path without blanks, quotes, `;`, `|`, `&`, `<`, `>`, backticks, `$(` or line breaks",
};
